package dev.idspam.graphs.build;

/** Element types used by the project's graphs, with their ONNX {@code TensorProto.DataType} codes. */
public enum DType {
    FLOAT(1, 4),
    INT32(6, 4),
    DOUBLE(11, 8),
    INT64(7, 8),
    BOOL(9, 1);

    private final int onnxCode;
    private final int byteSize;

    DType(int onnxCode, int byteSize) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
    }

    public int onnxCode() {
        return onnxCode;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this == FLOAT || this == DOUBLE;
    }

    public static DType fromOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("ONNX data type " + code + " is not supported (supported: FLOAT, DOUBLE, INT32, INT64, BOOL)");
    }
}
