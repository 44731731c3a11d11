package io.modelmesh.api;

/** The answer to {@code POST /tokens}: the token (shown this once; only its hash is kept) and what it may do. */
public record CreatedToken(String token, TokenInfo info) {
}
