package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The wake body as its schema has it: {@code seats} only, a whole number of at least 1; every fault listed. */
class WakeAnswersTest {
    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void seatsAloneOrNothingIsValid() throws Exception {
        assertThat(WakeAnswers.invalidSeats(json("{}"))).isEmpty();
        assertThat(WakeAnswers.invalidSeats(json("{\"seats\": 4}"))).isEmpty();
        assertThat(WakeAnswers.seats(json("{\"seats\": 4}"))).contains(4);
    }

    @Test
    void aTypoIsAnUnknownFieldNotTheDefault() throws Exception {
        Problem problem = WakeAnswers.invalidSeats(json("{\"seat\": 4}")).orElseThrow();

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.toJson("/api/pools/x/wake").path("errors").toString())
                .contains("\"pointer\":\"/seat\"").contains("unknown field");
    }

    @Test
    void everyOffendingFieldIsListedWithItsPointerEscaped() throws Exception {
        Problem problem = WakeAnswers.invalidSeats(json("{\"seats\": 0, \"a/b\": 1, \"c~d\": 2}")).orElseThrow();

        JsonNode errors = problem.toJson("/api/pools/x/wake").path("errors");
        assertThat(errors).hasSize(3);
        assertThat(errors.findValuesAsText("pointer")).containsExactlyInAnyOrder("/seats", "/a~1b", "/c~0d");
    }
}
