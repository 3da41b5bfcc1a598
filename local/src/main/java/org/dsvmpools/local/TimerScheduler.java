package org.dsvmpools.local;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs timer-triggered functions on their NCRONTAB schedules ({@code second minute hour day month day-of-week},
 * parsed by cron-utils, in UTC as on Azure). Each function has one thread, so one invocation runs at a time; a
 * slot missed because the previous run overran is run once, at once, with {@code IsPastDue: true}.
 */
final class TimerScheduler {
    private static final CronParser NCRONTAB = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
    private static final Duration PAST_DUE_TOLERANCE = Duration.ofMillis(250);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Thread> threads = new ArrayList<>();
    private final Invoker invoker;
    private final Clock clock;
    private volatile boolean running = true;

    TimerScheduler(Invoker invoker, Clock clock) {
        this.invoker = invoker;
        this.clock = clock;
    }

    /** Parses every schedule first, so a bad one stops the start-up before anything runs. */
    void start(List<FunctionDefinition> functions) {
        List<Runnable> loops = new ArrayList<>();
        for (FunctionDefinition function : functions) {
            if (function.trigger() instanceof FunctionDefinition.TimerTriggerDef timer) {
                ExecutionTime schedule = parse(function.name(), timer.schedule());
                loops.add(() -> loop(function, schedule));
            }
        }
        for (Runnable loop : loops) {
            Thread thread = new Thread(loop, "timer");
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    static ExecutionTime parse(String function, String schedule) {
        try {
            return ExecutionTime.forCron(NCRONTAB.parse(schedule));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("function " + function + ": schedule '" + schedule
                    + "' is not a six-field NCRONTAB expression: " + e.getMessage(), e);
        }
    }

    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
    }

    private void loop(FunctionDefinition function, ExecutionTime schedule) {
        ZonedDateTime last = ZonedDateTime.now(clock);
        ZonedDateTime next = schedule.nextExecution(last).orElse(null);
        while (running && next != null) {
            try {
                Duration wait = Duration.between(ZonedDateTime.now(clock), next);
                if (!wait.isNegative()) {
                    Thread.sleep(wait.toMillis());
                }
                ZonedDateTime now = ZonedDateTime.now(clock);
                boolean pastDue = Duration.between(next, now).compareTo(PAST_DUE_TOLERANCE) > 0;
                ZonedDateTime following = schedule.nextExecution(now).orElse(null);
                try {
                    invoker.invoke(function, timerInfo(last, following, pastDue), Map.of());
                } catch (Exception e) {
                    System.err.println("local host: timer function " + function.name() + " failed: " + e);
                }
                last = next;
                next = schedule.nextExecution(next).orElse(null);
                ZonedDateTime after = ZonedDateTime.now(clock);
                if (next != null && next.isBefore(after)) {
                    // Slots missed while the function ran collapse into one past-due run, as on Azure.
                    ZonedDateTime lastMissed = next;
                    while (schedule.nextExecution(lastMissed).map(t -> t.isBefore(after)).orElse(false)) {
                        lastMissed = schedule.nextExecution(lastMissed).orElseThrow();
                    }
                    next = lastMissed;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The TimerInfo JSON the trigger passes, as the Functions host serialises it. */
    private static String timerInfo(ZonedDateTime last, ZonedDateTime next, boolean pastDue) {
        ObjectNode info = JSON.createObjectNode();
        info.putObject("Schedule").put("AdjustForDST", true);
        ObjectNode status = info.putObject("ScheduleStatus");
        status.put("Last", last.toOffsetDateTime().toString());
        status.put("Next", next == null ? null : next.toOffsetDateTime().toString());
        status.put("LastUpdated", last.toOffsetDateTime().toString());
        info.put("IsPastDue", pastDue);
        return info.toString();
    }
}
