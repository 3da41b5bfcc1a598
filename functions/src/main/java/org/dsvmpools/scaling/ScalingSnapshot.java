package org.dsvmpools.scaling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scaler last saw and decided for a pool, for {@code GET /api/pools/{name}}: its instances with power
 * state and active users, and the decision with its reasons.
 */
public record ScalingSnapshot(Instant at, String summary, List<InstanceState> instances, List<String> actions,
                              List<String> warnings, Forecast forecast, Failure failure, Metered metered) {
    public ScalingSnapshot {
        instances = List.copyOf(instances);
        actions = List.copyOf(actions);
        warnings = List.copyOf(warnings);
    }

    public ScalingSnapshot(Instant at, String summary, List<InstanceState> instances, List<String> actions,
                           List<String> warnings) {
        this(at, summary, instances, actions, warnings, null, null, null);
    }

    public ScalingSnapshot withForecast(Forecast next) {
        return new ScalingSnapshot(at, summary, instances, actions, warnings, next, failure, metered);
    }

    /** With this month's instance-hours, as counted up to this evaluation. */
    public ScalingSnapshot withMetered(Metered next) {
        return new ScalingSnapshot(at, summary, instances, actions, warnings, forecast, failure, next);
    }

    /**
     * The last evaluation failed: what the pool was last seen as stays, with why it was not scaled and when it is
     * evaluated again.
     */
    public ScalingSnapshot failed(Failure next) {
        return new ScalingSnapshot(at, summary, instances, actions, warnings, forecast, next, metered);
    }

    /** Whether the pool waits out a failure at {@code now}: Azure throttled it and its Retry-After has not passed. */
    public boolean waitsAt(Instant now) {
        return failure != null && failure.retryAt() != null && now.isBefore(failure.retryAt());
    }

    /**
     * Why the scaler could not evaluate the pool.
     *
     * @param since   when it first failed for this reason
     * @param retryAt when the scaler tries the pool again; null: at the next tick
     */
    public record Failure(String reason, Instant since, Instant retryAt) {
    }

    /**
     * What the pool's history expected for the next hours when the scaler decided, slot by slot.
     *
     * @param historyDays how many past days the figures rest on (0: no forecast yet)
     */
    public record Forecast(int historyDays, List<Slot> next) {
        public Forecast {
            next = List.copyOf(next);
        }

        /** How many users at most, and how many sessions beginning, from {@code at} for one slot. */
        public record Slot(Instant at, int users, double arrivals) {
        }

        /** The next {@code hours} from {@code now}'s slot, as {@code forecast} sees them. */
        public static Forecast of(DemandForecast forecast, Instant now, int hours) {
            List<Slot> slots = new ArrayList<>();
            if (!forecast.isEmpty()) {
                Instant at = now;
                for (int i = 0; i < hours * 60 / DemandHistory.SLOT.toMinutes(); i++) {
                    Instant end = at.plus(DemandHistory.SLOT);
                    slots.add(new Slot(at, forecast.peakBetween(at, end).orElse(0),
                            Math.round(forecast.arrivalsBetween(at, end).orElse(0.0) * 10) / 10.0));
                    at = end;
                }
            }
            return new Forecast(forecast.historyDays(), slots);
        }
    }

    /** @param drainingSince when the scaler drained it, or null when it takes new sessions */
    public record InstanceState(String id, PowerState power, boolean protectedFromScaleIn, List<String> users,
                                Instant drainingSince) {
        public InstanceState {
            users = List.copyOf(users);
        }
    }
}
