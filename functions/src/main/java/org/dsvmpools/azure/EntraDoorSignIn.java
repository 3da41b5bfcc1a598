package org.dsvmpools.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.dsvmpools.door.IdentityProvider;
import org.dsvmpools.door.SignedInUser;

/**
 * The front door's sign-in with Entra ID, with nimbus's OAuth 2.0 SDK: an OpenID Connect authorization code
 * request with PKCE (S256), state and nonce; the callback parsed by nimbus; the code redeemed by a confidential
 * client with no secret: the client assertion is the Function App's managed-identity token for
 * {@code api://AzureADTokenExchange}, which a federated credential on the door's app registration trusts
 * (Entra's "workload identity federation" with a managed identity). The id token is checked with nimbus-jose-jwt
 * against the tenant's keys, by the injected clock: RS256, the tenant's issuer, the door's client id as audience,
 * within its validity, the sign-in's nonce, with an object id.
 */
public final class EntraDoorSignIn implements IdentityProvider {
    static final String EXCHANGE_SCOPE = "api://AzureADTokenExchange/.default";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Scope SCOPE = new Scope(OIDCScopeValue.OPENID, OIDCScopeValue.PROFILE, OIDCScopeValue.EMAIL);
    private static final int SKEW_SECONDS = 300;

    private final EntraTenant tenant;
    private final ClientID client;
    private final URI redirect;
    private final Supplier<TokenCredential> identity;
    private final Clock clock;

    /**
     * @param redirect the door's callback, as registered on the app ({@code <door url>/door/signed-in})
     * @param identity the Function App's identity, whose token is the client assertion
     */
    public EntraDoorSignIn(String authority, String clientId, URI redirect, Supplier<TokenCredential> identity,
                           HttpClient http, Clock clock) {
        this.tenant = new EntraTenant(authority, http, clock);
        this.client = new ClientID(clientId);
        this.redirect = redirect;
        this.identity = identity;
        this.clock = clock;
    }

    /** The door's own sign-in, from the app's settings, with the app's ARM identity as its assertion. */
    public static EntraDoorSignIn of(String authority, String clientId, URI redirect, Supplier<ArmClients> arm,
                                     HttpClient http, Clock clock) {
        return new EntraDoorSignIn(authority, clientId, redirect, () -> arm.get().credential(), http, clock);
    }

    @Override
    public Started start() {
        EntraTenant.Metadata metadata = metadata();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, SCOPE, client, redirect)
                .endpointURI(metadata.authorize()).state(state).nonce(nonce).responseMode(ResponseMode.QUERY)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        return new Started(authorize, state.getValue(), nonce.getValue(), verifier.getValue());
    }

    @Override
    public SignedInUser finish(Map<String, String> callback, Started started) {
        AuthenticationResponse response;
        try {
            Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
            callback.forEach((name, value) -> parameters.put(name, List.of(value)));
            response = AuthenticationResponseParser.parse(redirect, parameters);
        } catch (ParseException e) {
            throw new Refused("The sign-in's answer could not be read: " + e.getMessage() + ".");
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new Refused("Microsoft Entra ID refused the sign-in: " + describe(error) + ".");
        }
        if (response.getState() == null || !response.getState().getValue().equals(started.state())) {
            throw new Refused("The sign-in's answer is for another sign-in.");
        }
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        if (code == null) {
            throw new Refused("Microsoft Entra ID sent no code.");
        }
        return user(redeem(code, started), started.nonce());
    }

    private String redeem(AuthorizationCode code, Started started) {
        EntraTenant.Metadata metadata = metadata();
        String assertion;
        try {
            assertion = identity.get().getTokenSync(new TokenRequestContext().addScopes(EXCHANGE_SCOPE)).getToken();
        } catch (RuntimeException e) {
            throw new Refused("The front door could not get its identity's token: " + e.getMessage() + ".");
        }
        TokenRequest request = new TokenRequest.Builder(metadata.token(), client,
                new AuthorizationCodeGrant(code, redirect, new CodeVerifier(started.verifier()))).scope(SCOPE)
                .customParameter("client_assertion_type", ASSERTION_TYPE)
                .customParameter("client_assertion", assertion).build();
        TokenResponse answer;
        try {
            answer = OIDCTokenResponseParser.parse(send(request.toHTTPRequest()));
        } catch (ParseException e) {
            throw new Refused("Microsoft Entra ID's answer could not be read: " + e.getMessage() + ".");
        }
        if (!answer.indicatesSuccess()) {
            throw new Refused("Microsoft Entra ID did not redeem the sign-in: "
                    + describe(answer.toErrorResponse().getErrorObject()) + ".");
        }
        if (!(answer.toSuccessResponse() instanceof OIDCTokenResponse tokens)
                || tokens.getOIDCTokens().getIDTokenString() == null) {
            throw new Refused("Microsoft Entra ID sent no id token.");
        }
        return tokens.getOIDCTokens().getIDTokenString();
    }

    /** nimbus's request, sent over the app's client (which trusts the local emulator's certificate). */
    private HTTPResponse send(HTTPRequest request) {
        HttpRequest.Builder call = HttpRequest.newBuilder(request.getURI()).timeout(EntraTenant.TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(request.getBody() == null ? "" : request.getBody()));
        request.getHeaderMap().forEach((name, values) -> values.forEach(value -> call.header(name, value)));
        try {
            HttpResponse<String> answer = tenant.send(call.build(), HttpResponse.BodyHandlers.ofString());
            HTTPResponse parsed = new HTTPResponse(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(type -> parsed.setHeader("Content-Type", type));
            parsed.setBody(answer.body());
            return parsed;
        } catch (IOException e) {
            throw new Refused("Microsoft Entra ID could not be reached: " + e.getMessage() + ".");
        }
    }

    private SignedInUser user(String idToken, String nonce) {
        EntraTenant.Metadata metadata = metadata();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, metadata.keys()));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(client.getValue(),
                new JWTClaimsSet.Builder().claim("nonce", nonce).build(), Set.of("iss", "exp", "oid", "sub")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        verifier.setMaxClockSkew(SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(verifier);
        JWTClaimsSet claims;
        try {
            claims = processor.process(idToken, null);
        } catch (java.text.ParseException | BadJOSEException | JOSEException e) {
            throw new Refused("Microsoft Entra ID's id token did not check: " + e.getMessage() + ".");
        }
        if (!metadata.issuers().contains(claims.getIssuer())) {
            throw new Refused("The id token is from another tenant: " + claims.getIssuer() + ".");
        }
        java.util.Set<String> roles = new java.util.HashSet<>();
        if (claims.getClaim("roles") instanceof List<?> listed) {
            listed.forEach(role -> roles.add(String.valueOf(role)));
        }
        return new SignedInUser(String.valueOf(claims.getClaim("oid")), text(claims, "email"),
                text(claims, "preferred_username"), text(claims, "name"), roles);
    }

    private static String text(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String value ? value : "";
    }

    private static String describe(ErrorObject error) {
        return error.getDescription() != null ? error.getDescription() : String.valueOf(error.getCode());
    }

    private EntraTenant.Metadata metadata() {
        try {
            EntraTenant.Metadata metadata = tenant.metadata();
            if (metadata.authorize() == null || metadata.token() == null) {
                throw new Refused("The tenant's OpenID configuration names no sign-in or token endpoint.");
            }
            return metadata;
        } catch (EntraTenant.UnreadableException e) {
            throw new Refused("Microsoft Entra ID could not be reached: " + e.getMessage() + ".");
        }
    }
}
