package dev.constrained4j.runners.ui;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may read the training UI: everyone who can connect ({@link #open()}, the loopback default), or only
 * requests that carry the server's secret token ({@link #withToken}), the rule off loopback.
 * <p>
 * As the first handler of every route it lets a request through when it presents the token in one of three
 * ways, and otherwise answers {@code 401} with a one-line body:
 * <ul>
 *   <li>the query parameter {@value #QUERY_PARAMETER} ({@code /train/overview?token=…}, the URL printed at
 *       start); the answer then sets an {@code HttpOnly}, {@code SameSite=Strict} cookie, so the page's own
 *       requests for its data and assets, which carry no token, are let through too;</li>
 *   <li>that cookie ({@link #cookieName(int)}: one per port, so two UIs on one machine do not overwrite each
 *       other's);</li>
 *   <li>the header {@code Authorization: Bearer …}, for scripts.</li>
 * </ul>
 * Tokens are compared in constant time (SHA-256 of both, then {@link MessageDigest#isEqual}), so neither the
 * content nor the length of the secret shows in the time of an answer.
 */
final class UiAccess implements Handler<RoutingContext> {

    /** The query parameter that carries the token. */
    static final String QUERY_PARAMETER = "token";
    /** Fewest characters of a token given by the user ({@code --ui-token}). */
    static final int MIN_TOKEN_LENGTH = 16;
    /** Random bytes of a generated token: 256 bits, 43 URL-safe Base64 characters. */
    static final int GENERATED_BYTES = 32;

    /** RFC 3986 unreserved characters: nothing in a token needs escaping in a URL, a cookie or a header. */
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final String COOKIE_PREFIX = "c4j-ui-token-";
    private static final String BEARER = "bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** SHA-256 of the token, or null when the UI is open. */
    private final byte[] tokenHash;
    private final String token;

    private UiAccess(String token) {
        this.token = token;
        this.tokenHash = token == null ? null : sha256(token);
    }

    /** No token: every request that reaches the port is served. */
    static UiAccess open() {
        return new UiAccess(null);
    }

    /** Only requests that carry {@code token} are served; see {@link #tokenProblem}. */
    static UiAccess withToken(String token) {
        String problem = tokenProblem(token);
        if (problem != null) {
            throw new IllegalArgumentException("token " + problem);
        }
        return new UiAccess(token);
    }

    /** A new token from {@link SecureRandom}: {@value #GENERATED_BYTES} bytes, URL-safe Base64 without padding. */
    static String generateToken() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Why {@code token} cannot be a UI token (it must have at least {@value #MIN_TOKEN_LENGTH} characters, all
     * of {@code A-Z a-z 0-9 - . _ ~}), or null if it can. The message never repeats the token.
     */
    static String tokenProblem(String token) {
        if (token == null) {
            return "must be set, got null";
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            return "must have at least " + MIN_TOKEN_LENGTH + " characters, got " + token.length();
        }
        if (!URL_SAFE.matcher(token).matches()) {
            return "must be URL-safe (only A-Z a-z 0-9 - . _ ~), got other characters";
        }
        return null;
    }

    /** The name of the cookie that carries the token of the UI on {@code port}. */
    static String cookieName(int port) {
        return COOKIE_PREFIX + port;
    }

    /** Whether requests must carry the token. */
    boolean requiresToken() {
        return tokenHash != null;
    }

    /** The token, empty when the UI is open. */
    Optional<String> token() {
        return Optional.ofNullable(token);
    }

    @Override
    public void handle(RoutingContext rc) {
        if (tokenHash == null) {
            rc.next();
            return;
        }
        HttpServerRequest request = rc.request();
        int port = request.localAddress().port();
        rc.response().putHeader("referrer-policy", "no-referrer");
        if (matches(request.getParam(QUERY_PARAMETER))) {
            rc.response().putHeader("set-cookie", cookieName(port) + "=" + token
                    + "; Path=/; HttpOnly; SameSite=Strict");
            rc.next();
        } else if (matches(cookie(request.getHeader("cookie"), cookieName(port)))
                || matches(bearer(request.getHeader("authorization")))) {
            rc.next();
        } else {
            rc.response().setStatusCode(401)
                    .putHeader("www-authenticate", "Bearer realm=\"constrained4j-ui\"")
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .putHeader("cache-control", "no-store")
                    .end("401 Unauthorized: this UI needs its token: open the URL printed at start (…?token=…)"
                            + " or send 'Authorization: Bearer TOKEN'\n");
        }
    }

    private boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(tokenHash, sha256(presented));
    }

    /** The value of cookie {@code name} in a {@code Cookie} header, or null. */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String pair : header.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                return pair.substring(equals + 1).strip();
            }
        }
        return null;
    }

    /** The credentials of an {@code Authorization: Bearer …} header, or null. */
    static String bearer(String header) {
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return null;
        }
        return header.substring(BEARER.length()).strip();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return tokenHash == null ? "UiAccess[open]" : "UiAccess[token required]";
    }
}
