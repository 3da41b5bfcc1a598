package org.dsvmpools.connect;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderConfigurationRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The user's token for the front door, from Entra ID with nimbus's OAuth 2.0 SDK: the cached one while it
 * lives, else a new one from the cached refresh token, else the device code flow (the user opens the page
 * Entra names, types the code, signs in; this polls at Entra's interval). The door's app registration is a
 * public client, so no secret is involved anywhere.
 */
final class EntraSignIn {
    /** A token this close to its end is not used: the door must still take it when the request arrives. */
    static final Duration EARLY = Duration.ofMinutes(2);
    private final DoorClient.SignInSettings settings;
    private final SSLSocketFactory tls;
    private final TokenCache cache;
    private final PrintStream messages;
    private final Clock clock;

    /** Thrown when no token can be had; the message says why, for the user. */
    static final class SignInException extends Exception {
        SignInException(String message) {
            super(message);
        }
    }

    EntraSignIn(DoorClient.SignInSettings settings, SSLSocketFactory tls, TokenCache cache, PrintStream messages,
                Clock clock) {
        this.settings = settings;
        this.tls = tls;
        this.cache = cache;
        this.messages = messages;
        this.clock = clock;
    }

    /** @param fresh ignore the cached access token (the door refused it) */
    String accessToken(boolean fresh) throws SignInException {
        Optional<TokenCache.Entry> cached = cache.read(key());
        if (!fresh && cached.isPresent() && cached.get().expiresAt().isAfter(clock.instant().plus(EARLY))) {
            return cached.get().accessToken();
        }
        OIDCProviderMetadata tenant = tenant();
        if (cached.isPresent() && cached.get().refreshToken() != null) {
            // A refused refresh token only means signing in again.
            Redeemed refreshed = redeem(tenant, new RefreshTokenGrant(new RefreshToken(cached.get().refreshToken())));
            if (refreshed.token() != null) {
                return refreshed.token();
            }
        }
        return deviceCode(tenant);
    }

    /** Forgets this door's tokens: the next connect signs in anew. */
    void signOut() {
        cache.remove(key());
    }

    private String deviceCode(OIDCProviderMetadata tenant) throws SignInException {
        if (tenant.getDeviceAuthorizationEndpointURI() == null) {
            throw new SignInException(settings.authority() + " offers no device code sign-in");
        }
        HTTPRequest request = new DeviceAuthorizationRequest(tenant.getDeviceAuthorizationEndpointURI(),
                new ClientID(settings.clientId()), Scope.parse(settings.scope())).toHTTPRequest();
        DeviceAuthorizationResponse answer;
        try {
            answer = DeviceAuthorizationResponse.parse(send(request));
        } catch (ParseException e) {
            throw new SignInException("Entra ID's device code answer could not be read: " + e.getMessage());
        }
        if (!answer.indicatesSuccess()) {
            throw new SignInException("Entra ID refused to start the sign-in: "
                    + said(answer.toErrorResponse().getErrorObject()));
        }
        DeviceAuthorizationSuccessResponse code = answer.toSuccessResponse();
        Object message = code.getCustomParameters().get("message");
        messages.println(message != null ? message : "To sign in, open " + code.getVerificationURI()
                + " and enter the code " + code.getUserCode().getValue());
        Instant until = clock.instant().plusSeconds(code.getLifetime());
        long interval = Math.max(1, code.getInterval() == 0 ? 5 : code.getInterval());
        while (clock.instant().isBefore(until)) {
            pause(Duration.ofSeconds(interval));
            Redeemed polled = redeem(tenant, new DeviceCodeGrant(code.getDeviceCode()));
            if (polled.token() != null) {
                messages.println("Signed in.");
                return polled.token();
            }
            if ("slow_down".equals(polled.error().getCode())) {
                interval += 5; // RFC 8628 section 3.5
            } else if (!"authorization_pending".equals(polled.error().getCode())) {
                throw new SignInException("Entra ID refused the sign-in: " + said(polled.error()));
            }
        }
        throw new SignInException("the sign-in code expired before anyone signed in with it; run the command again");
    }

    /** A grant redeemed: the access token (kept in the cache), or Entra's error. */
    private record Redeemed(String token, ErrorObject error) {
    }

    private Redeemed redeem(OIDCProviderMetadata tenant, com.nimbusds.oauth2.sdk.AuthorizationGrant grant)
            throws SignInException {
        TokenResponse response;
        try {
            response = TokenResponse.parse(send(new TokenRequest(tenant.getTokenEndpointURI(),
                    new ClientID(settings.clientId()), grant, grant instanceof RefreshTokenGrant
                    ? Scope.parse(settings.scope()) : null).toHTTPRequest()));
        } catch (ParseException e) {
            throw new SignInException("Entra ID's token answer could not be read: " + e.getMessage());
        }
        if (response.indicatesSuccess()) {
            AccessTokenResponse tokens = response.toSuccessResponse();
            var access = tokens.getTokens().getAccessToken();
            RefreshToken refresh = tokens.getTokens().getRefreshToken();
            long lifetime = access.getLifetime() > 0 ? access.getLifetime() : 3600;
            cache.write(key(), new TokenCache.Entry(access.getValue(), clock.instant().plusSeconds(lifetime),
                    refresh != null ? refresh.getValue() : null));
            return new Redeemed(access.getValue(), null);
        }
        ErrorObject error = response.toErrorResponse().getErrorObject();
        return new Redeemed(null, error != null ? error : new ErrorObject("unknown", "no reason given"));
    }

    private OIDCProviderMetadata tenant() throws SignInException {
        try {
            HTTPRequest request = new OIDCProviderConfigurationRequest(new Issuer(settings.authority())).toHTTPRequest();
            return OIDCProviderMetadata.parse(send(request).getBodyAsJSONObject());
        } catch (ParseException | IllegalArgumentException e) {
            throw new SignInException("the tenant's OpenID configuration at " + settings.authority()
                    + " could not be read: " + e.getMessage());
        }
    }

    private HTTPResponse send(HTTPRequest request) throws SignInException {
        request.setSSLSocketFactory(tls);
        request.setConnectTimeout((int) DoorClient.TIMEOUT.toMillis());
        request.setReadTimeout((int) DoorClient.TIMEOUT.toMillis());
        try {
            return request.send();
        } catch (IOException e) {
            throw new SignInException("Entra ID at " + URI.create(settings.authority()).getHost()
                    + " cannot be reached: " + e.getMessage());
        }
    }

    private static String said(ErrorObject error) {
        return error == null ? "no reason given" : error.getCode() + ": " + error.getDescription();
    }

    private static void pause(Duration duration) throws SignInException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInException("interrupted");
        }
    }

    private String key() {
        return settings.authority() + " " + settings.clientId();
    }
}
