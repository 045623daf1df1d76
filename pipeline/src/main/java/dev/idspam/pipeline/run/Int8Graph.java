package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic int8 quantisation of the frozen encoder's matrix products in an exported inference graph.
 * Every {@code MatMul(A, W)} whose W is a backbone weight ({@code layer.i.…}, float32 [K, N]) becomes
 * ONNX Runtime's {@code com.microsoft::DynamicQuantizeMatMul(A, W_q, s, 0)}:
 * <pre>
 *   s_c   = max_k |W[k, c]| / 127                 per output column c        [N]
 *   W_q   = clamp(round(W / s_c), −127, 127)      int8, symmetric (zero point 0)   [K, N]
 *   A·W  ≈ dequant(quant_u8(A)) · (W_q · s)       A quantised per call to uint8 by the operator
 * </pre>
 * Only the backbone's weights change; the method's tensors (the prompt generator), the embeddings,
 * LayerNorm and the head stay float32, and so does every activation between operators. The result
 * is portable: the operator is in ONNX Runtime's standard CPU build, the weights are plain int8
 * initializers. The accuracy change is measured on the dev set by the caller (docs/results).
 */
final class Int8Graph {
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    private static final int INT8 = OnnxMl.TensorProto.DataType.INT8.getNumber();

    private Int8Graph() {
    }

    /** The quantised model and how many matrix products were quantised. */
    record Result(OnnxMl.ModelProto model, int quantized) { }

    static Result quantize(OnnxMl.ModelProto model) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Map<String, OnnxMl.TensorProto> added = new LinkedHashMap<>();
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        int count = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            OnnxMl.TensorProto w = n.getOpType().equals("MatMul") && n.getDomain().isEmpty() && n.getInputCount() == 2
                    ? inits.get(n.getInput(1)) : null;
            if (w == null || !w.getName().startsWith("layer.") || w.getDimsCount() != 2 || w.getDataType() != FLOAT
                    || w.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                nodes.add(n);
                continue;
            }
            String name = w.getName();
            if (!added.containsKey(name + "_int8")) {
                quantizeColumns(w, added);
            }
            nodes.add(OnnxMl.NodeProto.newBuilder().setName(n.getName() + "_int8").setOpType("DynamicQuantizeMatMul")
                    .setDomain(FusedGraph.MS_DOMAIN).addInput(n.getInput(0)).addInput(name + "_int8")
                    .addInput(name + "_scale").addInput(name + "_zero").addOutput(n.getOutput(0)).build());
            count++;
        }
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(n.getInputList()));
        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        inits.values().stream().filter(t -> read.contains(t.getName())).forEach(gb::addInitializer);
        added.values().forEach(gb::addInitializer);
        return new Result(FusedGraph.withMsDomain(model.toBuilder().setGraph(gb)).build(), count);
    }

    /** Adds {@code <w>_int8} [K, N], {@code <w>_scale} [N] and {@code <w>_zero} [N] (zeros). */
    private static void quantizeColumns(OnnxMl.TensorProto w, Map<String, OnnxMl.TensorProto> out) {
        int k = (int) w.getDims(0);
        int n = (int) w.getDims(1);
        float[] f = FusedGraph.floats(w);
        float[] scale = new float[n];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                scale[c] = Math.max(scale[c], Math.abs(f[r * n + c]));
            }
        }
        for (int c = 0; c < n; c++) {
            scale[c] = scale[c] == 0 ? 1f : scale[c] / 127f;
        }
        byte[] q = new byte[k * n];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                q[r * n + c] = (byte) Math.max(-127, Math.min(127, Math.round(f[r * n + c] / scale[c])));
            }
        }
        ByteBuffer s = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        s.asFloatBuffer().put(scale);
        String name = w.getName();
        out.put(name + "_int8", OnnxMl.TensorProto.newBuilder().setName(name + "_int8").setDataType(INT8).addDims(k).addDims(n)
                .setRawData(ByteString.copyFrom(q)).build());
        out.put(name + "_scale", OnnxMl.TensorProto.newBuilder().setName(name + "_scale").setDataType(FLOAT).addDims(n)
                .setRawData(ByteString.copyFrom(s.array())).build());
        out.put(name + "_zero", OnnxMl.TensorProto.newBuilder().setName(name + "_zero").setDataType(INT8).addDims(n)
                .setRawData(ByteString.copyFrom(new byte[n])).build());
    }
}
