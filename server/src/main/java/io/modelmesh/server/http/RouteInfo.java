package io.modelmesh.server.http;

/** One registered route: method, path pattern (Helidon syntax, e.g. {@code /models/{name}}) and what it requires. */
public record RouteInfo(String method, String pattern, Access access) {
}
