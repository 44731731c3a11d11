package io.modelmesh.api;

/** One arm of an A/B split: a version and its share of users in percent (the arms' weights add to 100). */
public record AbArm(String version, int weight) {
}
