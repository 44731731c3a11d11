package io.modelmesh.cli.output;

/** One section of a table rendering: a {@link Table} or a {@link Details} list. Blocks are separated by a blank line. */
public sealed interface Block permits Table, Details {
}
