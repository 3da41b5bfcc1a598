package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.IntakePolicy;
import org.dsvmpools.pool.PoolSpecRules;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolRequestReaderTest {
    private final PoolRequestReader reader = new PoolRequestReader(new PoolSpecRules(IntakePolicy.defaults()));

    @Test
    void theIssuesExampleDocumentIsValid() {
        PoolRequestReader.Outcome outcome = read(PoolDocumentsFixture.document("ml-team"));

        assertThat(outcome.problem()).isNull();
        assertThat(outcome.spec().name()).isEqualTo("ml-team");
        assertThat(outcome.spec().capacity().initial()).isEqualTo(1);
    }

    @Test
    void theExamplePoolDocumentOfTheQuickStartIsValid() throws java.io.IOException {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", "pool.json"));

        PoolRequestReader.Outcome outcome = reader.read("application/json", example);

        assertThat(outcome.problem()).as(String.valueOf(outcome.problem())).isNull();
        assertThat(outcome.spec().name()).isEqualTo("ml-team");
    }

    @Test
    void anInitialUserMayHaveAnEmailForJupyterHubAndABadOneIsReportedAtItsPointer() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        document.putArray("users").addObject().put("name", "bob").put("email", "Bob@Contoso.com");
        assertThat(reader.read("application/json", document.toString()).spec().users().get(0).email())
                .isEqualTo("Bob@Contoso.com");

        ((ObjectNode) document.path("users").get(0)).put("email", "bob at contoso");
        assertThat(reader.read("application/json", document.toString()).problem().errors())
                .extracting(org.dsvmpools.pool.FieldError::pointer).containsExactly("/users/0/email");
    }

    @Test
    void defaultsAreFilledSoThatEquivalentRequestsCompareEqual() {
        ObjectNode minimal = PoolDocumentsFixture.document("ml-team");
        minimal.remove(List.of("usersPerInstance", "share", "idleTimeoutMinutes"));
        ObjectNode explicit = PoolDocumentsFixture.document("ml-team");
        explicit.set("access", minimal.get("access"));
        explicit.set("users", minimal.get("users"));

        assertThat(read(minimal).spec()).isEqualTo(read(explicit).spec());
    }

    @Test
    void aPoolThatNamesNoImageGetsTheInstallationsDefaultAndOneOnTheAllowListIsKept() {
        String successor = "microsoft-dsvm:ubuntu-2404:2404-gen2:latest";
        PoolRequestReader withSuccessor = new PoolRequestReader(new PoolSpecRules(new IntakePolicy(
                java.util.Set.of("Standard_D4s_v5"), List.of(IntakePolicy.defaults().defaultImage(), successor))));

        assertThat(withSuccessor.read("application/json", PoolDocumentsFixture.document("ml-team").toString())
                .spec().image()).isEqualTo("microsoft-dsvm:ubuntu-2204:2204-gen2:latest");
        assertThat(withSuccessor.read("application/json", PoolDocumentsFixture.document("ml-team")
                .put("image", successor).toString()).spec().image()).isEqualTo(successor);
        assertThat(reader.read("application/json", PoolDocumentsFixture.document("ml-team")
                .put("image", successor).toString()).problem().errors()).extracting(FieldError::pointer)
                .as("not allowed where the installation does not list it").containsExactly("/image");
    }

    @Test
    void thePatchOfAnImageOnTheAllowListChangesItForNewInstances() {
        String successor = "microsoft-dsvm:ubuntu-2404:2404-gen2:latest";
        PoolRequestReader withSuccessor = new PoolRequestReader(new PoolSpecRules(new IntakePolicy(
                java.util.Set.of("Standard_D4s_v5"), List.of(IntakePolicy.defaults().defaultImage(), successor))));
        var current = withSuccessor.read("application/json", PoolDocumentsFixture.document("ml-team").toString()).spec();

        var patched = withSuccessor.applyPatch(withSuccessor.readPatch("application/merge-patch+json",
                "{\"image\":\"" + successor + "\"}").document(), current);
        var refused = withSuccessor.applyPatch(withSuccessor.readPatch("application/merge-patch+json",
                "{\"image\":\"canonical:ubuntu:server:latest\"}").document(), current);

        assertThat(patched.spec().image()).isEqualTo(successor);
        assertThat(patched.spec().withImage(current.image())).isEqualTo(current);
        assertThat(refused.isValid()).isFalse();
        assertThat(refused.errors()).extracting(FieldError::pointer).containsExactly("/image");
    }

    @Test
    void anAllowListedResourceGroupMayBeNamedAndRoundTrips() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team").put("resourceGroup", "Team-ML_rg(prod)");
        PoolRequestReader allowing = new PoolRequestReader(new PoolSpecRules(new IntakePolicy(
                IntakePolicy.defaults().allowedVmSizes(), IntakePolicy.defaults().allowedImages(),
                java.util.Set.of("team-ml_rg(PROD)"))));

        PoolRequestReader.Outcome outcome = allowing.read("application/json", document.toString());

        assertThat(outcome.problem()).isNull();
        assertThat(outcome.spec().resourceGroup()).isEqualTo("Team-ML_rg(prod)");
        assertThat(org.dsvmpools.pool.PoolSpecJson.write(outcome.spec()).path("resourceGroup").asText())
                .isEqualTo("Team-ML_rg(prod)");
        assertThat(read(PoolDocumentsFixture.document("ml-team")).spec().resourceGroup()).isNull();
    }

    /** #27: with no allow-list a spec cannot aim the app's role at someone else's group. */
    @Test
    void aResourceGroupNotOnTheAllowListIsRefusedWithItsPointer() {
        PoolRequestReader.Outcome refused = read(PoolDocumentsFixture.document("ml-team")
                .put("resourceGroup", "prod-rg"));

        assertThat(refused.problem()).isNotNull();
        assertThat(refused.problem().errors()).extracting(FieldError::pointer).containsExactly("/resourceGroup");
        PoolRequestReader allowing = new PoolRequestReader(new PoolSpecRules(new IntakePolicy(
                IntakePolicy.defaults().allowedVmSizes(), IntakePolicy.defaults().allowedImages(),
                java.util.Set.of("team-rg"))));
        assertThat(allowing.read("application/json",
                PoolDocumentsFixture.document("ml-team").put("resourceGroup", "prod-rg").toString())
                .problem().errors()).extracting(FieldError::message)
                .containsExactly("'prod-rg' is not a resource group pools may use here; allowed: [team-rg]");
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                bad("name too short", "/name", doc -> doc.put("name", "ab")),
                bad("name too long", "/name", doc -> doc.put("name", "a".repeat(21))),
                bad("name with upper case", "/name", doc -> doc.put("name", "ML-team")),
                bad("name starting with a digit", "/name", doc -> doc.put("name", "1team")),
                bad("name with a double hyphen", "/name", doc -> doc.put("name", "ml--team")),
                bad("name with a trailing hyphen", "/name", doc -> doc.put("name", "mlteam-")),
                bad("name with an underscore", "/name", doc -> doc.put("name", "ml_team")),
                bad("missing name", "/name", doc -> doc.remove("name")),
                bad("unknown region", "/location", doc -> doc.put("location", "moon-north")),
                bad("region display name", "/location", doc -> doc.put("location", "West Europe")),
                bad("resource group ending in a dot", "/resourceGroup", doc -> doc.put("resourceGroup", "team-rg.")),
                bad("resource group with a slash", "/resourceGroup", doc -> doc.put("resourceGroup", "a/b")),
                bad("resource group that is not a string", "/resourceGroup", doc -> doc.put("resourceGroup", 7)),
                bad("roster group that is not a GUID", "/rosterGroupId", doc -> doc.put("rosterGroupId", "ml-team")),
                bad("vm size not allowed", "/vmSize", doc -> doc.put("vmSize", "Standard_M416ms_v2")),
                bad("min above initial", "/capacity/initial", doc -> capacity(doc).put("min", 2).put("initial", 1)),
                bad("initial above max", "/capacity/initial", doc -> capacity(doc).put("initial", 5)),
                bad("negative min", "/capacity/min", doc -> capacity(doc).put("min", -1)),
                bad("max above 100", "/capacity/max", doc -> capacity(doc).put("max", 101)),
                bad("missing max", "/capacity/max", doc -> capacity(doc).remove("max")),
                bad("max as a string", "/capacity/max", doc -> capacity(doc).put("max", "four")),
                bad("max as a fraction", "/capacity/max", doc -> capacity(doc).put("max", 2.5)),
                bad("zero users per instance", "/usersPerInstance", doc -> doc.put("usersPerInstance", 0)),
                bad("65 users per instance", "/usersPerInstance", doc -> doc.put("usersPerInstance", 65)),
                bad("quota below 100 GiB", "/share/quotaGiB", doc -> share(doc).put("quotaGiB", 99)),
                bad("quota above 100 TiB", "/share/quotaGiB", doc -> share(doc).put("quotaGiB", 102_401)),
                bad("idle timeout below 10", "/idleTimeoutMinutes", doc -> doc.put("idleTimeoutMinutes", 9)),
                bad("idle timeout above a day", "/idleTimeoutMinutes", doc -> doc.put("idleTimeoutMinutes", 1441)),
                bad("no ssh keys", "/access/sshPublicKeys", doc -> keys(doc).removeAll()),
                bad("short rsa key", "/access/sshPublicKeys/0", doc -> keys(doc).set(0, SshKeys.rsa(1024))),
                bad("ecdsa key", "/access/sshPublicKeys/0", doc -> keys(doc).set(0,
                        SshKeys.line("ecdsa-sha2-nistp256", SshKeys.text("ecdsa-sha2-nistp256")))),
                bad("garbage key", "/access/sshPublicKeys/0", doc -> keys(doc).set(0, "ssh-ed25519 !!!")),
                bad("password field", "/access/adminPassword", doc -> access(doc).put("adminPassword", "hunter2")),
                bad("an admin name Azure refuses", "/access/adminUsername",
                        doc -> access(doc).put("adminUsername", "admin1")),
                bad("another admin name Azure refuses", "/access/adminUsername",
                        doc -> access(doc).put("adminUsername", "user5")),
                bad("an image not on the allow-list", "/image",
                        doc -> doc.put("image", "canonical:ubuntu-24_04-lts:server:latest")),
                bad("an image that is not publisher:offer:sku:version", "/image",
                        doc -> doc.put("image", "microsoft-dsvm:ubuntu-2204")),
                bad("missing cidrs", "/access/allowedSourceCidrs", doc -> access(doc).remove("allowedSourceCidrs")),
                bad("empty cidrs", "/access/allowedSourceCidrs", doc -> cidrs(doc).removeAll()),
                bad("malformed cidr", "/access/allowedSourceCidrs/0", doc -> cidrs(doc).set(0, "203.0.113.0")),
                bad("octet above 255", "/access/allowedSourceCidrs/0", doc -> cidrs(doc).set(0, "203.0.300.0/24")),
                bad("prefix above 32", "/access/allowedSourceCidrs/0", doc -> cidrs(doc).set(0, "203.0.113.0/33")),
                bad("host bits set", "/access/allowedSourceCidrs/0", doc -> cidrs(doc).set(0, "203.0.113.7/24")),
                bad("internet without consent", "/access/allowedSourceCidrs/0", doc -> cidrs(doc).set(0, "0.0.0.0/0")),
                bad("ipv6 internet without consent", "/access/allowedSourceCidrs/0",
                        doc -> cidrs(doc).set(0, "::/0")),
                bad("reserved admin name", "/access/adminUsername", doc -> access(doc).put("adminUsername", "root")),
                bad("admin name with upper case", "/access/adminUsername",
                        doc -> access(doc).put("adminUsername", "Pool")),
                bad("admin name of 33 characters", "/access/adminUsername",
                        doc -> access(doc).put("adminUsername", "a".repeat(33))),
                bad("offset instead of a zone", "/schedule/timeZone", doc -> schedule(doc).put("timeZone", "+01:00")),
                bad("unknown zone", "/schedule/timeZone", doc -> schedule(doc).put("timeZone", "Europe/Atlantis")),
                bad("negative seat headroom", "/scaling/seatHeadroom", doc -> doc.putObject("scaling")
                        .put("seatHeadroom", -1)),
                bad("more standby instances than max", "/scaling/standbyInstances", doc -> doc.putObject("scaling")
                        .put("standbyInstances", 5)),
                bad("unknown scaling field", "/scaling/drain", doc -> doc.putObject("scaling").put("drain", true)),
                bad("holiday that is not a date", "/schedule/holidays/1", doc -> schedule(doc).putArray("holidays")
                        .add("2026-12-25").add("Christmas")),
                bad("holiday listed twice", "/schedule/holidays/1", doc -> schedule(doc).putArray("holidays")
                        .add("2026-12-25").add("2026-12-25")),
                bad("unknown work day", "/schedule/workDays/1", doc -> ((ArrayNode) schedule(doc).get("workDays"))
                        .set(1, "TUESDAY")),
                bad("work day twice", "/schedule/workDays/1", doc -> ((ArrayNode) schedule(doc).get("workDays"))
                        .set(1, "MON")),
                bad("end before start", "/schedule/workHours/end", doc -> ((ObjectNode) schedule(doc)
                        .get("workHours")).put("end", "07:00")),
                bad("hour 25", "/schedule/workHours/start", doc -> ((ObjectNode) schedule(doc)
                        .get("workHours")).put("start", "25:00")),
                bad("work-hours minimum above max", "/schedule/minInstancesDuringWorkHours",
                        doc -> schedule(doc).put("minInstancesDuringWorkHours", 5)),
                bad("reserved user name", "/users/0/name", doc -> user(doc).put("name", "daemon")),
                bad("user name with a dot", "/users/0/name", doc -> user(doc).put("name", "alice.smith")),
                bad("user twice", "/users/1/name", doc -> ((ArrayNode) doc.get("users")).add(user(doc).deepCopy())),
                bad("user named like the admin", "/users/0/name", doc -> user(doc).put("name", "pooladmin")),
                bad("user with a short rsa key", "/users/0/sshPublicKeys/0",
                        doc -> ((ArrayNode) user(doc).get("sshPublicKeys")).set(0, SshKeys.rsa(1024))),
                bad("unknown top-level field", "/colour", doc -> doc.put("colour", "blue")),
                bad("unknown nested field", "/capacity/maximum", doc -> capacity(doc).put("maximum", 3)),
                bad("status is not an input", "/status", doc -> doc.put("status", "Ready")),
                bad("capacity not an object", "/capacity", doc -> doc.put("capacity", 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDocuments")
    void eachRuleReportsTheOffendingFieldAsAJsonPointer(String reason, String pointer, Consumer<ObjectNode> change) {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        change.accept(document);

        PoolRequestReader.Outcome outcome = read(document);

        assertThat(outcome.spec()).as(reason).isNull();
        assertThat(outcome.problem().status()).isEqualTo(400);
        assertThat(outcome.problem().errors()).as(reason).extracting(FieldError::pointer).containsExactly(pointer);
    }

    @Test
    void everyOffendingFieldIsReportedAtOnce() {
        ObjectNode document = PoolDocumentsFixture.document("ML");
        document.put("location", "atlantis");
        capacity(document).put("max", 200);
        document.put("extra", true);

        assertThat(read(document).problem().errors()).extracting(FieldError::pointer)
                .containsExactlyInAnyOrder("/name", "/location", "/capacity/max", "/extra");
    }

    @Test
    void aMissingObjectIsReportedOnceNotOncePerInnerField() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        document.remove("access");

        assertThat(read(document).problem().errors()).extracting(FieldError::pointer).containsExactly("/access");
    }

    @Test
    void theInternetIsAllowedOnlyWithExplicitConsent() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        cidrs(document).set(0, "0.0.0.0/0");
        access(document).put("allowInternet", true);

        assertThat(read(document).problem()).isNull();
    }

    @Test
    void ipv6NetworksAreAccepted() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        cidrs(document).add("2001:db8::/32");

        assertThat(read(document).problem()).isNull();
    }

    @Test
    void malformedJsonIs400() {
        Problem problem = reader.read("application/json", "{\"name\": ").problem();

        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).endsWith("malformed-json");
    }

    @Test
    void duplicateKeysAreMalformedJson() {
        assertThat(reader.read("application/json", "{\"name\":\"a\",\"name\":\"b\"}").problem().type())
                .endsWith("malformed-json");
    }

    @Test
    void aBodyOver64KiBIs413() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        document.put("padding", "x".repeat(PoolRequestReader.MAX_BODY_BYTES));

        assertThat(reader.read("application/json", document.toString()).problem().status()).isEqualTo(413);
    }

    @Test
    void aNonJsonContentTypeIs415() {
        String body = PoolDocumentsFixture.document("ml-team").toString();

        assertThat(reader.read("text/plain", body).problem().status()).isEqualTo(415);
        assertThat(reader.read(null, body).problem().status()).isEqualTo(415);
        assertThat(reader.read("application/json; charset=utf-8", body).problem()).isNull();
    }

    @Test
    void aDocumentThatIsNotAnObjectIs400AtTheRoot() {
        Problem problem = reader.read("application/json", "[1,2]").problem();

        assertThat(problem.errors()).extracting(FieldError::pointer).containsExactly("");
    }

    private PoolRequestReader.Outcome read(JsonNode document) {
        return reader.read("application/json", document.toString());
    }

    private static Arguments bad(String reason, String pointer, Consumer<ObjectNode> change) {
        return Arguments.of(reason, pointer, change);
    }

    private static ObjectNode capacity(ObjectNode doc) {
        return (ObjectNode) doc.get("capacity");
    }

    private static ObjectNode share(ObjectNode doc) {
        return (ObjectNode) doc.get("share");
    }

    private static ObjectNode access(ObjectNode doc) {
        return (ObjectNode) doc.get("access");
    }

    private static ArrayNode keys(ObjectNode doc) {
        return (ArrayNode) access(doc).get("sshPublicKeys");
    }

    private static ArrayNode cidrs(ObjectNode doc) {
        return (ArrayNode) access(doc).get("allowedSourceCidrs");
    }

    private static ObjectNode schedule(ObjectNode doc) {
        return (ObjectNode) doc.get("schedule");
    }

    private static ObjectNode user(ObjectNode doc) {
        return (ObjectNode) doc.get("users").get(0);
    }


    @Test
    void aPatchTypoIsAnUnknownFieldAndAFixedFieldIsSaidToBeFixed() {
        var patch = reader.readPatch("application/merge-patch+json",
                "{\"capacitty\": {\"max\": 3}, \"vmSize\": \"Standard_D4s_v5\"}");

        var errors = patch.problem().toJson("/api/pools/x").path("errors");
        assertThat(errors.findValuesAsText("pointer")).containsExactlyInAnyOrder("/capacitty", "/vmSize");
        assertThat(errors.toString()).contains("unknown field; a PATCH may change")
                .contains("cannot be changed after creation");
    }

    /** {@code FIELDS} is what the reader reads: each named field is known, and a name beside them is not. */
    @Test
    void theDocumentsFieldsAreTheOnesTheReaderReads() {
        com.fasterxml.jackson.databind.node.ObjectNode document = org.dsvmpools.testing.PoolDocumentsFixture
                .document("ml-team");
        for (String field : org.dsvmpools.pool.PoolSpecJson.FIELDS) {
            if (!document.has(field)) {
                document.putNull(field);
            }
        }
        document.put("notAField", 1);

        var unknown = org.dsvmpools.pool.PoolSpecJson.read(document).errors().stream()
                .filter(error -> error.message().startsWith("unknown field")).map(org.dsvmpools.pool.FieldError::pointer)
                .toList();

        assertThat(unknown).containsExactly("/notAField");
        java.util.List<String> written = new java.util.ArrayList<>();
        org.dsvmpools.pool.PoolSpecJson.write(org.dsvmpools.testing.PoolDocumentsFixture.spec("ml-team"))
                .fieldNames().forEachRemaining(written::add);
        assertThat(org.dsvmpools.pool.PoolSpecJson.FIELDS).containsAll(written);
    }
}
