package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesAndKeysTest {

    @ParameterizedTest(name = "\"{0}\" is a valid pool name")
    @ValueSource(strings = {"abc", "ml-team", "a1b2c3", "abcdefghijklmnopqrst", "x-1"})
    void validPoolNames(String name) {
        assertThat(PoolName.problem(name)).isEmpty();
        assertThat(new PoolName(name).value()).isEqualTo(name);
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "ab", "abcdefghijklmnopqrstu", "Abc", "1abc", "-abc", "abc-", "a--b", "a_b", "a.b",
            "ab c", "ümlaut"})
    void invalidPoolNames(String name) {
        assertThat(PoolName.problem(name)).isPresent();
        assertThatThrownBy(() -> new PoolName(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "user \"{0}\": {1}")
    @CsvSource({
            "alice, true",
            "a_b-c9, true",
            "pooladmin, true",
            "root, false",
            "admin, false",
            "daemon, false",
            "video, false",
            "con, false",
            "com7, false",
            "lpt1, false",
            "console, false",
            "conan, true",
            "com10, true",
            "Alice, false",
            "9lives, false",
            "_svc, false",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, true",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false"})
    void linuxUserNames(String name, boolean valid) {
        assertThat(LinuxUserName.problem(name).isEmpty()).isEqualTo(valid);
    }

    @Test
    void realEd25519AndRsaKeysAreAccepted() {
        assertThat(SshPublicKey.problem(SshKeys.ed25519())).isEmpty();
        assertThat(SshPublicKey.problem(SshKeys.rsa2048())).isEmpty();
        assertThat(SshPublicKey.problem(SshKeys.rsa(3072))).isEmpty();
    }

    @Test
    void rsaKeysShorterThan2048BitsAreRefusedWithTheirSize() {
        assertThat(SshPublicKey.problem(SshKeys.rsa(1024))).get().asString().contains("1024 bits");
    }

    @Test
    void malformedKeysAreRefused() {
        byte[] key32 = new byte[32];
        assertThat(SshPublicKey.problem("ssh-ed25519")).isPresent();
        assertThat(SshPublicKey.problem("ssh-ed25519 not*base64")).isPresent();
        assertThat(SshPublicKey.problem(SshKeys.line("ssh-ed25519", SshKeys.text("ssh-rsa"), key32)))
                .get().asString().contains("type");
        assertThat(SshPublicKey.problem(SshKeys.line("ssh-ed25519", SshKeys.text("ssh-ed25519"), new byte[31])))
                .isPresent();
        assertThat(SshPublicKey.problem(SshKeys.line("ssh-ed25519", SshKeys.text("ssh-ed25519")))).isPresent();
        assertThat(SshPublicKey.problem(SshKeys.line("ssh-rsa", SshKeys.text("ssh-rsa"),
                BigInteger.valueOf(65537).toByteArray(), BigInteger.ONE.negate().toByteArray()))).isPresent();
        assertThat(SshPublicKey.problem("-----BEGIN OPENSSH PRIVATE KEY-----")).get().asString()
                .contains("private key");
        assertThat(SshPublicKey.problem(SshKeys.line("ssh-dss", SshKeys.text("ssh-dss")))).get().asString()
                .contains("not accepted");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "203.0.113.0/24, true",
            "10.0.0.1/32, true",
            "0.0.0.0/0, true",
            "2001:db8::/32, true",
            "::/0, true",
            "203.0.113.0, false",
            "203.0.113.0/, false",
            "203.0.113.0/33, false",
            "203.0.113.0/24/1, false",
            "256.0.0.0/8, false",
            "01.2.3.4/32, false",
            "example.com/24, false",
            "2001:db8::/129, false",
            "2001:db8::1/32, false",
            "203.0.113.1/24, false"})
    void cidrs(String cidr, boolean valid) {
        assertThat(Cidr.problem(cidr).isEmpty()).isEqualTo(valid);
    }
}
