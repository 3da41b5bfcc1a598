"""dsvm-pools sign-in for the DSVM's JupyterHub: Microsoft Entra ID, for the users on the pool's roster only.

OpenID Connect's authorization code flow with PKCE (S256), state and nonce. The hub proves it is the app
registration's client with a federated credential: the instance's user-assigned managed identity gets a token for
api://AzureADTokenExchange from the metadata service, and the hub sends it as the client assertion. No client
secret exists, on the VM or anywhere else. The id token is checked here (RS256 signature by the tenant's published
keys, issuer, audience, expiry, nonce), with nothing but the standard library, so the module runs on the
JupyterHub the image ships, with no package installed at boot.

A signed-in identity is mapped to the roster's manifest on the share (.pool/users.json, which the roster agent
applies): by the Entra object id where the entry has one, otherwise by email (whole address, any case), and the hub
user is the entry's Linux name. Anyone else is refused with a page that says why. A user the roster removes is
signed out at the next check (auth_refresh_age), and the roster agent stops their server.

Written against JupyterHub's stable Authenticator API (authenticate, get_handlers, login_url, refresh_user), as
the oauthenticator package is.
"""
import base64
import hashlib
import hmac
import json
import os
import pwd
import secrets
import time
import urllib.parse

from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from traitlets import Integer, Unicode

from jupyterhub.auth import Authenticator
from jupyterhub.handlers import BaseHandler
from jupyterhub.utils import url_path_join

STATE_COOKIE = "dsvmpools-oauth-state"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
# DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
CLOCK_SKEW = 300


class SignInRefused(Exception):
    """The identity is genuine, but the roster does not let it in; the message is for the user."""


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_pair():
    """A PKCE verifier (RFC 7636: 43 to 128 unreserved characters) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    return verifier, b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def same_text(given, expected):
    """Constant-time equality of two strings of any characters (compare_digest takes only ASCII str)."""
    return (isinstance(given, str) and isinstance(expected, str)
            and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")))


def json_object(data, what):
    """A JSON object (a dict) decoded from the bytes, or ValueError naming what it should have been."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(what + " is not JSON") from e
    if not isinstance(value, dict):
        raise ValueError(what + " is not a JSON object")
    return value


def rs256_verified(token, jwks):
    """The claims of a JWT signed RS256 by one of the keys in the JWKS document, or ValueError."""
    try:
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = json_object(b64url_decode(header_b64), "the id token's header")
        signature = b64url_decode(signature_b64)
        payload_b64.encode("ascii")
    except (ValueError, AttributeError, TypeError) as e:
        raise ValueError("the id token is not a JWT: " + str(e)) from e
    if header.get("alg") != "RS256":
        raise ValueError("the id token is not signed RS256")
    listed = jwks.get("keys") if isinstance(jwks, dict) else None
    keys = [k for k in listed if isinstance(k, dict) and k.get("kty") == "RSA" and k.get("kid") == header.get("kid")
            and isinstance(k.get("n"), str) and isinstance(k.get("e"), str)] if isinstance(listed, list) else []
    if not keys:
        raise ValueError("the id token's key is not among the tenant's keys")
    n = int.from_bytes(b64url_decode(keys[0]["n"]), "big")
    e = int.from_bytes(b64url_decode(keys[0]["e"]), "big")
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        raise ValueError("the id token's signature has the wrong length")
    s = int.from_bytes(signature, "big")
    if s >= n:
        # RFC 8017, 5.2.2 (RSAVP1): "If the signature representative s is not between 0 and n - 1, output
        # 'signature representative out of range'": s and s + n would both verify otherwise.
        raise ValueError("the id token's signature is out of range")
    digest = hashlib.sha256((header_b64 + "." + payload_b64).encode("ascii")).digest()
    encoded = pow(s, e, n).to_bytes(size, "big")
    expected_tail = b"\x00" + SHA256_DIGEST_INFO + digest
    expected = b"\x00\x01" + b"\xff" * (size - 2 - len(expected_tail)) + expected_tail
    if not hmac.compare_digest(encoded, expected):
        raise ValueError("the id token's signature does not verify")
    return json_object(b64url_decode(payload_b64), "the id token's claims")


def check_claims(claims, issuer, audience, nonce, now=None):
    """OpenID Connect Core 3.1.3.7: issuer, audience, expiry, and the nonce this sign-in sent."""
    now = time.time() if now is None else now
    if claims.get("iss") != issuer:
        raise ValueError("the id token is from another issuer")
    audiences = claims.get("aud")
    if audience not in (audiences if isinstance(audiences, list) else [audiences]):
        raise ValueError("the id token is for another application")
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + CLOCK_SKEW < now:
        raise ValueError("the id token has expired")
    nbf = claims.get("nbf", 0)
    if not isinstance(nbf, (int, float)) or isinstance(nbf, bool):
        raise ValueError("the id token's nbf is not a time")
    if nbf - CLOCK_SKEW > now:
        raise ValueError("the id token is not valid yet")
    if not nonce or not same_text(claims.get("nonce"), nonce):
        raise ValueError("the id token's nonce is not this sign-in's")


def roster_entry(users, claims):
    """The manifest entry this identity is, whatever its state, or SignInRefused.

    An entry with an Entra object id matches that object only: a renamed account keeps its entry, and an email
    cannot stand in for it. Entries without one (users added by email) match the token's email or sign-in name,
    compared whole and without regard to case: a '+tag' is part of the address, since Entra does not fold
    plus-addresses into one account.
    """
    oid = str(claims.get("oid", "")).lower()
    by_oid = [u for u in users if str(u.get("entraObjectId") or "").lower() == oid and oid]
    if by_oid:
        return by_oid[0]
    addresses = {str(claims.get(c, "")).strip().lower() for c in ("email", "preferred_username")} - {""}
    by_email = [u for u in users if not u.get("entraObjectId") and str(u.get("email") or "").lower() in addresses]
    names = {u.get("name") for u in by_email}
    if len(names) > 1:
        raise SignInRefused("Your account matches more than one user of this pool ({}). Ask the pool's owner to"
                            " remove the duplicate.".format(", ".join(sorted(names))))
    if not by_email:
        raise SignInRefused("{} is not a user of this pool. Ask the pool's owner to add you."
                            .format(claims.get("preferred_username") or claims.get("email") or "This account"))
    return by_email[0]


def local_path(url):
    """A path on this hub to return to after sign-in, or None: never another site (an open redirect)."""
    if (isinstance(url, str) and url.startswith("/") and not url.startswith("//") and "\\" not in url
            and not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in url)):
        # A control character would end or split the Location header (tornado refuses it with a 500).
        return url
    return None


def login_hint(text):
    """A sign-in name to pass on to Entra as login_hint, or None: a bounded address with no control characters
    or spaces (anything else is not a name Entra could know, and is dropped rather than sent)."""
    if (isinstance(text, str) and 0 < len(text) <= 256 and "@" in text
            and not any(ord(c) <= 0x20 or 0x7f <= ord(c) <= 0x9f for c in text)):
        return text
    return None


def read_users(path):
    """The manifest's entries that are objects; a manifest of another shape is no roster at all (nobody in)."""
    try:
        with open(path) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return []
    users = manifest.get("users") if isinstance(manifest, dict) and manifest.get("v") == 1 else None
    return [u for u in users if isinstance(u, dict)] if isinstance(users, list) else []


class LoginHandler(BaseHandler):
    """Starts a sign-in: the state, nonce and PKCE verifier go into a signed, short-lived cookie."""

    async def get(self):
        auth = self.authenticator
        metadata = await auth.metadata()
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        verifier, challenge = pkce_pair()
        next_url = local_path(self.get_argument("next", "")) or ""
        # Secure whenever the hub is reached over HTTPS (every pool's is): the cookie then never goes in clear.
        self.set_secure_cookie(STATE_COOKIE, json.dumps({"state": state, "nonce": nonce, "verifier": verifier,
                                                         "next": next_url}),
                               expires_days=None, httponly=True, path=self.hub.base_url,
                               secure=self.request.protocol == "https", samesite="Lax")
        request = {
            "client_id": auth.client_id, "response_type": "code", "redirect_uri": auth.callback_url,
            "response_mode": "query", "scope": "openid profile email", "state": state, "nonce": nonce,
            "code_challenge": challenge, "code_challenge_method": "S256"}
        hint = login_hint(self.get_argument("login_hint", ""))
        if hint:
            # From the front door, which signed this account in already: Entra signs it in again without asking.
            request["login_hint"] = hint
        self.redirect(metadata["authorization_endpoint"] + "?" + urllib.parse.urlencode(request))


class CallbackHandler(BaseHandler):
    """Ends a sign-in: checks the state, redeems the code, signs the roster's user in."""

    async def get(self):
        saved = self.get_secure_cookie(STATE_COOKIE, max_age_days=10 / 1440)
        self.clear_cookie(STATE_COOKIE, path=self.hub.base_url)
        if self.get_argument("error", ""):
            raise web.HTTPError(403, "Microsoft Entra ID refused the sign-in: %s",
                                self.get_argument("error_description", self.get_argument("error")))
        try:
            started = json_object(saved, "the sign-in's cookie") if saved else None
        except ValueError:
            started = None
        if not started or not same_text(self.get_argument("state", ""), started.get("state")):
            raise web.HTTPError(400, "This sign-in was not started here, or took too long. Sign in again from %s",
                                self.authenticator.login_url(self.hub.base_url))
        data = {"code": self.get_argument("code", ""), "nonce": started.get("nonce"),
                "verifier": started.get("verifier")}
        user = await self.login_user(data)
        if user is None:
            raise web.HTTPError(403, "%s", self.authenticator.last_refusal(data))
        self.redirect(self.get_next_url(user, default=local_path(started.get("next", ""))))


class EntraRosterAuthenticator(Authenticator):
    authority = Unicode(config=True, help="The tenant's OpenID Connect authority: https://login.microsoftonline.com/<tenant>/v2.0")
    client_id = Unicode(config=True, help="The app registration's application (client) id.")
    callback_url = Unicode(config=True, help="https://<pool address>:8000/hub/oauth_callback, as registered.")
    identity_client_id = Unicode(config=True, help="Client id of the user-assigned identity the app trusts.")
    metadata_service = Unicode("http://169.254.169.254", config=True, help="The instance metadata service.")
    manifest = Unicode("/data/workspace/.pool/users.json", config=True, help="The roster's manifest on the share.")
    ca_certs = Unicode("", config=True, help="CA bundle for Entra's endpoints; empty: the system's.")
    request_timeout = Integer(15, config=True, help="Seconds for each call to Entra or the metadata service.")

    login_service = "Microsoft Entra ID"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._metadata = None
        self._jwks = None
        self._refusals = {}

    def login_url(self, base_url):
        return url_path_join(base_url, "oauth_login")

    def get_handlers(self, app):
        return [(r"/oauth_login", LoginHandler), (r"/oauth_callback", CallbackHandler)]

    async def _get_json(self, url, **kwargs):
        request = HTTPRequest(url, request_timeout=self.request_timeout, ca_certs=self.ca_certs or None, **kwargs)
        response = await AsyncHTTPClient().fetch(request)
        return json.loads(response.body)

    async def metadata(self):
        if self._metadata is None:
            self._metadata = await self._get_json(self.authority.rstrip("/") + "/.well-known/openid-configuration")
        return self._metadata

    async def _keys(self, refresh=False):
        if self._jwks is None or refresh:
            self._jwks = await self._get_json((await self.metadata())["jwks_uri"])
        return self._jwks

    async def client_assertion(self):
        """The instance's managed-identity token for token exchange: what the app's federated credential trusts."""
        query = urllib.parse.urlencode({"api-version": "2018-02-01", "resource": EXCHANGE_AUDIENCE,
                                        "client_id": self.identity_client_id})
        answer = await self._get_json(self.metadata_service.rstrip("/") + "/metadata/identity/oauth2/token?" + query,
                                      headers={"Metadata": "true"})
        return answer["access_token"]

    async def _redeem(self, data):
        metadata = await self.metadata()
        body = urllib.parse.urlencode({
            "client_id": self.client_id, "grant_type": "authorization_code", "code": data["code"],
            "redirect_uri": self.callback_url, "code_verifier": data["verifier"],
            "scope": "openid profile email", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": await self.client_assertion()})
        try:
            return await self._get_json(metadata["token_endpoint"], method="POST", body=body,
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        except HTTPClientError as e:
            detail = ""
            if e.response is not None:
                try:
                    detail = json.loads(e.response.body).get("error_description", "")
                except ValueError:
                    pass
            raise ValueError("Microsoft Entra ID did not redeem the sign-in: " + (detail or str(e))) from e

    async def _verified(self, id_token):
        try:
            return rs256_verified(id_token, await self._keys())
        except ValueError:
            # Entra rolls its keys: one unknown key earns one fresh read of the tenant's keys.
            return rs256_verified(id_token, await self._keys(refresh=True))

    def last_refusal(self, data):
        return self._refusals.pop(data.get("code", ""), "The sign-in failed. Try again in a minute.")

    async def authenticate(self, handler, data):
        try:
            tokens = await self._redeem(data)
            claims = await self._verified(tokens.get("id_token", ""))
            check_claims(claims, (await self.metadata())["issuer"], self.client_id, data["nonce"])
            entry = roster_entry(read_users(self.manifest), claims)
            if entry.get("state") != "active":
                raise SignInRefused("Your access to this pool has been removed. Ask the pool's owner if that is"
                                    " a mistake.")
            try:
                pwd.getpwnam(entry["name"])
            except KeyError:
                raise SignInRefused("Your account on this machine is still being made. Try again in a minute.")
        except SignInRefused as e:
            self.log.warning("sign-in refused: %s", e)
            self._refusals[data.get("code", "")] = str(e)
            return None
        except ValueError as e:
            self.log.warning("sign-in failed: %s", e)
            self._refusals[data.get("code", "")] = "The sign-in could not be checked: " + str(e)
            return None
        return {"name": entry["name"], "auth_state": None}

    async def refresh_user(self, user, handler=None):
        """Still Active on the roster: a removed user's cookie stops working within auth_refresh_age."""
        return any(u.get("name") == user.name and u.get("state") == "active" for u in read_users(self.manifest))


def agent_services(c, tokens):
    """The agents' hub tokens and the least scopes each needs (usage: list servers and reach their kernels API
    through the proxy; roster: stop and delete removed users' servers and users). tokens: name -> token file."""
    scopes = {"dsvmpools-usage": ["list:users", "read:servers", "access:servers"],
              "dsvmpools-roster": ["list:users", "read:servers", "delete:servers", "delete:users"]}
    services, roles = [], []
    for name, path in sorted(tokens.items()):
        services.append({"name": name, "api_token": _token(path)})
        roles.append({"name": name, "scopes": scopes[name], "services": [name]})
    # Extended, not replaced: the image's configuration may have services of its own.
    c.JupyterHub.services.extend(services)
    c.JupyterHub.load_roles.extend(roles)


def _token(path):
    """The token in a root-only file, made on first use: only root (the agents, the hub) can read it."""
    try:
        with open(path) as f:
            token = f.read().strip()
        if token:
            return token
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    token = secrets.token_hex(32)
    fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    os.replace(path + ".new", path)
    return token
