package io.modelmesh.sklearn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for pickles Python would not write or that the tests should not need Python for. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBuilder protocol(int version) {
        PickleBuilder b = new PickleBuilder();
        b.out.write(0x80);
        b.out.write(version);
        return b;
    }

    /** GLOBAL: module and name as text lines. */
    PickleBuilder global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** STACK_GLOBAL: module and name pushed as strings first (protocol 4). */
    PickleBuilder stackGlobal(String module, String name) {
        return str(module).str(name).op(0x93);
    }

    /** INST (protocol 0): instantiate a class with the arguments since the last mark. */
    PickleBuilder inst(String module, String name) {
        out.write('i');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** BINUNICODE. */
    PickleBuilder str(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        int4(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    /** BINBYTES. */
    PickleBuilder bytes(byte[] b) {
        out.write('B');
        int4(b.length);
        out.writeBytes(b);
        return this;
    }

    /** BININT. */
    PickleBuilder integer(int v) {
        out.write('J');
        int4(v);
        return this;
    }

    PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder emptyDict() {
        return op('}');
    }

    PickleBuilder emptyList() {
        return op(']');
    }

    PickleBuilder emptyTuple() {
        return op(')');
    }

    PickleBuilder tupleSinceMark() {
        return op('t');
    }

    PickleBuilder none() {
        return op('N');
    }

    PickleBuilder bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    PickleBuilder reduce() {
        return op('R');
    }

    PickleBuilder newObj() {
        return op(0x81);
    }

    PickleBuilder build() {
        return op('b');
    }

    PickleBuilder setItem() {
        return op('s');
    }

    PickleBuilder append() {
        return op('a');
    }

    /** numpy's object dtype, {@code dtype('O')}, as numpy pickles it. */
    PickleBuilder objectDtype() {
        global("numpy", "dtype").mark().str("O8").bool(false).bool(true).tupleSinceMark().reduce();
        return mark().integer(3).str("|").none().none().none().integer(-1).integer(-1).integer(63).tupleSinceMark()
                .build();
    }

    /** numpy's float64 dtype, {@code dtype('<f8')}, as numpy pickles it. */
    PickleBuilder float64Dtype() {
        global("numpy", "dtype").mark().str("f8").bool(false).bool(true).tupleSinceMark().reduce();
        return mark().integer(3).str("<").none().none().none().integer(-1).integer(-1).integer(0).tupleSinceMark()
                .build();
    }

    /** Raw bytes as they are, with no opcode (joblib writes array data between pickle opcodes). */
    PickleBuilder raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private void int4(int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
