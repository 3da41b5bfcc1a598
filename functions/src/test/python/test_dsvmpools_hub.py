"""Unit tests of the hub's sign-in logic: the identity mapping, the PKCE pair, the id token's checks.

Run by HubAuthenticatorTest with Debian's python3, where JupyterHub is installed. Test tokens are signed with a key
made here by the cryptography package (a dependency of JupyterHub's); the module under test verifies them with
the standard library only.
"""
import base64
import hashlib
import json
import os
import re
import time
import unittest

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import dsvmpools_hub as hub

ALICE = {"name": "alice", "uid": 20001, "state": "active", "entraObjectId": "0F7A1C7E-6A3E-4F53-9A52-6B1F0E3D2A11",
         "email": "alice@contoso.com"}
CAROL = {"name": "carol", "uid": 20002, "state": "active", "email": "Carol@Contoso.com"}
ISSUER = "https://login.microsoftonline.com/tenant/v2.0"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Keys:
    def __init__(self, kid="k1", bits=2048):
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=bits)

    def jwks(self):
        numbers = self.private.public_key().public_numbers()
        size = (numbers.n.bit_length() + 7) // 8
        return {"keys": [{"kty": "RSA", "kid": self.kid, "use": "sig", "n": b64(numbers.n.to_bytes(size, "big")),
                          "e": b64(numbers.e.to_bytes(3, "big"))}]}

    def sign(self, claims, alg="RS256"):
        header = b64(json.dumps({"alg": alg, "kid": self.kid, "typ": "JWT"}).encode())
        body = b64(json.dumps(claims).encode())
        signature = self.private.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{header}.{body}.{b64(signature)}"


def claims(**overrides):
    now = int(time.time())
    base = {"iss": ISSUER, "aud": "client", "exp": now + 3600, "nbf": now - 10, "iat": now, "nonce": "n1",
            "oid": "0f7a1c7e-6a3e-4f53-9a52-6b1f0e3d2a11", "preferred_username": "alice@contoso.onmicrosoft.com",
            "email": "alice@contoso.com"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


class IdentityMapping(unittest.TestCase):
    def test_the_object_id_matches_in_any_case(self):
        self.assertEqual(hub.roster_entry([CAROL, ALICE], claims())["name"], "alice")

    def test_a_renamed_account_keeps_its_entry_by_object_id(self):
        renamed = claims(email="alice.smith@contoso.com", preferred_username="alice.smith@contoso.com")
        self.assertEqual(hub.roster_entry([ALICE], renamed)["name"], "alice")

    def test_an_email_cannot_stand_in_for_an_entry_with_an_object_id(self):
        impostor = claims(oid="11111111-2222-3333-4444-555555555555", email="alice@contoso.com")
        with self.assertRaises(hub.SignInRefused):
            hub.roster_entry([ALICE], impostor)

    def test_an_entry_by_email_matches_in_any_case_by_email_or_sign_in_name(self):
        self.assertEqual(hub.roster_entry([CAROL], claims(oid="x", email="CAROL@contoso.com"))["name"], "carol")
        self.assertEqual(hub.roster_entry([CAROL], claims(oid="x", email=None,
                                                           preferred_username="carol@contoso.com"))["name"], "carol")

    def test_a_plus_tag_is_part_of_the_address(self):
        with self.assertRaises(hub.SignInRefused):
            hub.roster_entry([CAROL], claims(oid="x", email="carol+ds@contoso.com", preferred_username="c@x.com"))

    def test_two_emails_of_one_identity_naming_two_users_are_refused_as_ambiguous(self):
        dave = {"name": "dave", "uid": 20003, "state": "active", "email": "dave@contoso.com"}
        both = claims(oid="x", email="carol@contoso.com", preferred_username="dave@contoso.com")
        with self.assertRaisesRegex(hub.SignInRefused, "carol, dave"):
            hub.roster_entry([CAROL, dave], both)

    def test_two_emails_of_one_identity_naming_one_user_sign_in(self):
        both = claims(oid="x", email="carol@contoso.com", preferred_username="Carol@Contoso.com")
        self.assertEqual(hub.roster_entry([CAROL], both)["name"], "carol")

    def test_someone_not_on_the_roster_is_refused_by_name(self):
        with self.assertRaisesRegex(hub.SignInRefused, "mallory@contoso.com is not a user of this pool"):
            hub.roster_entry([ALICE, CAROL], claims(oid="y", email=None, preferred_username="mallory@contoso.com"))

    def test_a_removed_entry_is_still_found_so_the_refusal_can_say_so(self):
        removed = dict(ALICE, state="removed")
        self.assertEqual(hub.roster_entry([removed], claims())["state"], "removed")


SHARED_CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "org", "dsvmpools", "door",
                            "roster-matching-cases.json")


class SharedRosterMatching(unittest.TestCase):
    """The table the front door's RosterMatch is tested on too: both match an account to the same entry."""

    def test_every_shared_case(self):
        with open(SHARED_CASES) as f:
            cases = json.load(f)["cases"]
        self.assertGreater(len(cases), 10)
        for case in cases:
            with self.subTest(case["case"]):
                expect = case["expect"]
                token = {k: v for k, v in case["claims"].items()}
                if "name" in expect:
                    entry = hub.roster_entry(case["roster"], token)
                    self.assertEqual((entry["name"], entry["state"]), (expect["name"], expect["state"]))
                elif "ambiguous" in expect:
                    with self.assertRaisesRegex(hub.SignInRefused, re.escape(", ".join(expect["ambiguous"]))):
                        hub.roster_entry(case["roster"], token)
                else:
                    with self.assertRaisesRegex(hub.SignInRefused, "is not a user of this pool"):
                        hub.roster_entry(case["roster"], token)


class LoginHint(unittest.TestCase):
    def test_a_sign_in_name_is_passed_on(self):
        self.assertEqual(hub.login_hint("alice@contoso.com"), "alice@contoso.com")

    def test_anything_that_is_no_sign_in_name_is_dropped(self):
        for bad in ("", "alice", "a b@contoso.com", "alice@contoso.com\r\nSet-Cookie: x", "x" * 251 + "@c.com", None):
            with self.subTest(bad=bad):
                self.assertIsNone(hub.login_hint(bad))


class Pkce(unittest.TestCase):
    def test_the_verifier_is_long_and_unreserved_and_the_challenge_is_its_s256(self):
        verifier, challenge = hub.pkce_pair()
        self.assertRegex(verifier, r"^[A-Za-z0-9\-._~]{43,128}$")
        self.assertEqual(challenge, b64(hashlib.sha256(verifier.encode()).digest()))
        self.assertNotEqual(hub.pkce_pair()[0], verifier)


class IdToken(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()

    def test_a_token_signed_by_the_tenant_verifies(self):
        token = self.keys.sign(claims())
        verified = hub.rs256_verified(token, self.keys.jwks())
        hub.check_claims(verified, ISSUER, "client", "n1")
        self.assertEqual(verified["oid"], "0f7a1c7e-6a3e-4f53-9a52-6b1f0e3d2a11")

    def test_a_changed_claim_breaks_the_signature(self):
        header, body, signature = self.keys.sign(claims()).split(".")
        forged = b64(json.dumps(claims(oid="someone-else")).encode())
        with self.assertRaisesRegex(ValueError, "does not verify"):
            hub.rs256_verified(f"{header}.{forged}.{signature}", self.keys.jwks())

    def test_another_key_or_algorithm_is_refused(self):
        with self.assertRaisesRegex(ValueError, "not among"):
            hub.rs256_verified(Keys("k2").sign(claims()), self.keys.jwks())
        unsigned = b64(json.dumps({"alg": "none"}).encode()) + "." + b64(json.dumps(claims()).encode()) + "."
        with self.assertRaisesRegex(ValueError, "RS256"):
            hub.rs256_verified(unsigned, self.keys.jwks())

    def test_issuer_audience_expiry_and_nonce_are_checked(self):
        now = time.time()
        cases = {"another issuer": claims(iss="https://evil/v2.0"), "another application": claims(aud="other"),
                 "expired": claims(exp=int(now) - 3600), "not valid yet": claims(nbf=int(now) + 3600),
                 "nonce": claims(nonce="replayed")}
        for reason, token_claims in cases.items():
            with self.subTest(reason), self.assertRaisesRegex(ValueError, reason):
                hub.check_claims(token_claims, ISSUER, "client", "n1")
        with self.assertRaisesRegex(ValueError, "nonce"):
            hub.check_claims(claims(nonce=None), ISSUER, "client", "n1")


    def test_a_header_or_claims_that_are_not_objects_are_refused_as_not_a_jwt(self):
        body = b64(json.dumps(claims()).encode())
        for header in ("[1]", "null", '"RS256"', "{"):
            with self.subTest(header), self.assertRaisesRegex(ValueError, "not a JWT"):
                hub.rs256_verified(b64(header.encode()) + "." + body + ".AAAA", self.keys.jwks())
        with self.assertRaisesRegex(ValueError, "claims is not a JSON object"):
            hub.rs256_verified(self.keys.sign(["not", "claims"]), self.keys.jwks())

    def test_a_signature_at_or_above_the_modulus_is_refused(self):
        """RFC 8017 5.2.2: s must be below n, or s + n would verify wherever s does."""
        keys = Keys(bits=2047)  # n < 2^2047 in 256 bytes: s + n always fits the signature's length
        token = keys.sign(claims())
        hub.rs256_verified(token, keys.jwks())
        header, body, signature = token.split(".")
        n = keys.private.public_key().public_numbers().n
        size = (n.bit_length() + 7) // 8
        s = int.from_bytes(hub.b64url_decode(signature), "big")
        self.assertLess(s + n, 1 << (8 * size), "this key leaves room for s + n in the signature's length")
        for name, representative in (("s + n", s + n), ("n", n)):
            forged = f"{header}.{body}.{b64(representative.to_bytes(size, 'big'))}"
            with self.subTest(name), self.assertRaisesRegex(ValueError, "out of range"):
                hub.rs256_verified(forged, keys.jwks())

    def test_a_tenant_key_set_of_another_shape_finds_no_key(self):
        token = self.keys.sign(claims())
        for jwks in ({"keys": [None, 1]}, {"keys": {}}, [], {"keys": [{"kty": "RSA", "kid": "k1", "n": 5}]}):
            with self.subTest(jwks), self.assertRaisesRegex(ValueError, "not among"):
                hub.rs256_verified(token, jwks)

    def test_a_non_numeric_nbf_and_a_non_ascii_nonce_are_refusals_not_errors(self):
        with self.assertRaisesRegex(ValueError, "nbf"):
            hub.check_claims(claims(nbf="soon"), ISSUER, "client", "n1")
        with self.assertRaisesRegex(ValueError, "nonce"):
            hub.check_claims(claims(nonce="n\u00e9"), ISSUER, "client", "n1")
        hub.check_claims(claims(nonce="\u00e9t\u00e9"), ISSUER, "client", "\u00e9t\u00e9")


class SameText(unittest.TestCase):
    def test_any_characters_compare_and_other_types_never_match(self):
        self.assertTrue(hub.same_text("\u00e9tat", "\u00e9tat"))
        self.assertFalse(hub.same_text("\u00e9tat", "etat"))
        for other in (None, 1, ["s"]):
            with self.subTest(other):
                self.assertFalse(hub.same_text(other, "s"))


class Manifest(unittest.TestCase):
    def read(self, text):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(text)
        return hub.read_users(f.name)

    def test_entries_that_are_not_objects_are_left_out_and_the_rest_sign_in(self):
        users = self.read(json.dumps({"v": 1, "users": [None, 7, "alice", ALICE]}))
        self.assertEqual(users, [ALICE])
        self.assertEqual(hub.roster_entry(users, claims())["name"], "alice")

    def test_a_manifest_of_another_shape_or_version_is_no_roster(self):
        for text in ("[]", "null", '{"v":1,"users":null}', '{"v":1,"users":{}}', json.dumps({"v": 2, "users": [ALICE]}),
                     json.dumps({"users": [ALICE]}), "\u0000" * 8):
            with self.subTest(text):
                self.assertEqual(self.read(text), [])


class Redirects(unittest.TestCase):
    def test_only_paths_on_this_hub_are_returned_to(self):
        self.assertEqual(hub.local_path("/hub/home"), "/hub/home")
        self.assertEqual(hub.local_path("/user/\u00e9l\u00e8ve/lab"), "/user/\u00e9l\u00e8ve/lab")
        for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", None, "hub/home",
                        "/hub/home\r\nSet-Cookie: x=1", "/hub/\x00", "/hub/\x7f", "/hub/\x85", ["/hub/home"]):
            with self.subTest(outside):
                self.assertIsNone(hub.local_path(outside))


if __name__ == "__main__":
    unittest.main()
