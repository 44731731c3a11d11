package io.modelmesh.cli.output;

/**
 * One section of a table rendering: a {@link Table}, a {@link Details} list or preformatted {@link Lines}. Blocks are
 * separated by a blank line.
 */
public sealed interface Block permits Table, Details, Lines {
}
