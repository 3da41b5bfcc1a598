package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.dsvmpools.pool.LinuxUserName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserNamesAndPathsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "alice@example.org, alice",
        "Alice.Smith@example.org, alice-smith",
        "bob+ml@example.org, bob",
        "ｊｏｅ@example.org, joe",
        "josé.núñez@example.org, jose-nunez",
        "1st.place@example.org, st-place",
        "../../etc@example.org, etc",
        "..@example.org, none",
        "root@example.org, none",
        "наталья@example.org, none",
        "no-at-sign, none"
    })
    void aNameIsDerivedFromTheEmailTheSameWayEveryTime(String email, String expected) {
        assertThat(UserNames.fromEmail(email).map(LinuxUserName::value).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../alice", "alice/..", "a/b", "a\\b", "alice\u0000", "\u0430lice", "ALICE",
        "alice ", ".pool", "LONG"})
    void anExplicitNameThatCouldLeaveUsersIsRefused(String given) {
        String name = given.equals("LONG") ? "x".repeat(300) : given;
        ObjectNode user = new ObjectMapper().createObjectNode().put("name", name).put("email", "a@example.org");

        NewUserJson.Result read = NewUserJson.read(user, "/user");

        assertThat(read.isValid()).isFalse();
        assertThat(read.errors()).anySatisfy(error -> assertThat(error.pointer()).isEqualTo("/user/name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x@example.org", "a/b@example.org", "a\\b@example.org", "dot..dot@example.org",
        "x@example.org"})
    void everyPathBuiltForAUserStaysUnderUsersOrArchive(String email) {
        String longLocal = email.startsWith("x@") ? "y".repeat(300) + email : email;
        UserNames.fromEmail(longLocal).ifPresent(name -> {
            for (String path : UserFolders.home(name)) {
                assertThat(path).startsWith("users/").doesNotContain("..", "\\", "\0").hasSizeLessThan(60);
                assertThat(path.split("/")).allSatisfy(segment -> assertThat(segment).isNotIn("", ".", ".."));
            }
            assertThat(UserFolders.archive(name, Instant.EPOCH)).startsWith("archive/").doesNotContain("..");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"email\":\"alice@example.org\",\"sshPublicKeys\":[\"ssh-rsa AAAA\"]}|/user/sshPublicKeys/0",
        "{\"email\":\"not an email\"}|/user/email",
        "{\"displayName\":\"No Email\"}|/user/email",
        "{\"email\":\"alice@example.org\",\"entraObjectId\":\"x\"}|/user/entraObjectId",
        "{\"email\":\"alice@example.org\",\"password\":\"hunter2\"}|/user/password"
    })
    void badUserFieldsAreReportedByPointer(String json, String pointer) throws Exception {
        NewUserJson.Result read = NewUserJson.read(new ObjectMapper().readTree(json), "/user");

        assertThat(read.errors()).anySatisfy(error -> assertThat(error.pointer()).isEqualTo(pointer));
    }
}
