package dev.idspam.graphs.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.Node;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Serialises a {@link Graph} to an ONNX model (IR 8, opset 17, plus com.microsoft 1 where used). */
public final class OnnxWriter {
    public static final long IR_VERSION = 8;
    public static final long OPSET = 17;
    public static final String MS_DOMAIN = "com.microsoft";

    private OnnxWriter() {
    }

    public static OnnxMl.ModelProto toModel(Graph g) {
        OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName(g.name());
        for (Value v : g.inputs()) {
            gb.addInput(valueInfo(v));
        }
        for (Map.Entry<String, TensorData> e : g.initializers().entrySet()) {
            gb.addInitializer(tensor(e.getKey(), e.getValue()));
        }
        Set<String> domains = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            gb.addNode(node(n));
            if (!n.domain().isEmpty()) {
                domains.add(n.domain());
            }
        }
        for (Value v : g.outputs()) {
            gb.addOutput(valueInfo(v));
        }
        OnnxMl.ModelProto.Builder mb = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("idspam")
                .setGraph(gb);
        mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        for (String d : domains) {
            mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(d).setVersion(1));
        }
        return mb.build();
    }

    public static byte[] toBytes(Graph g) {
        return toModel(g).toByteArray();
    }

    public static void write(Graph g, Path file) throws IOException {
        dev.idspam.graphs.io.AtomicFiles.write(file, toBytes(g));
    }

    public static OnnxMl.ValueInfoProto valueInfo(Value v) {
        OnnxMl.TypeProto.Tensor.Builder tt = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(v.type().onnxCode());
        if (v.shape() != null) {
            OnnxMl.TensorShapeProto.Builder sb = OnnxMl.TensorShapeProto.newBuilder();
            for (Dim d : v.shape().dims()) {
                OnnxMl.TensorShapeProto.Dimension.Builder db = OnnxMl.TensorShapeProto.Dimension.newBuilder();
                if (d.isKnown()) {
                    db.setDimValue(d.size());
                } else if (d.isSymbolic()) {
                    db.setDimParam(d.symbol());
                }
                sb.addDim(db);
            }
            tt.setShape(sb);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(v.name())
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tt)).build();
    }

    public static OnnxMl.TensorProto tensor(String name, TensorData t) {
        OnnxMl.TensorProto.Builder tb = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(t.type().onnxCode());
        for (long d : t.dims()) {
            tb.addDims(d);
        }
        tb.setRawData(ByteString.copyFrom(t.rawView()));
        return tb.build();
    }

    private static OnnxMl.NodeProto node(Node n) {
        OnnxMl.NodeProto.Builder nb = OnnxMl.NodeProto.newBuilder().setName(n.name()).setOpType(n.opType());
        if (!n.domain().isEmpty()) {
            nb.setDomain(n.domain());
        }
        nb.addAllInput(n.inputs()).addAllOutput(n.outputs());
        for (Attr a : n.attrs()) {
            nb.addAttribute(attribute(a));
        }
        return nb.build();
    }

    private static OnnxMl.AttributeProto attribute(Attr a) {
        OnnxMl.AttributeProto.Builder ab = OnnxMl.AttributeProto.newBuilder().setName(a.name());
        if (a instanceof Attr.Int i) {
            ab.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(i.value());
        } else if (a instanceof Attr.Float f) {
            ab.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f.value());
        } else if (a instanceof Attr.Str s) {
            ab.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
        } else if (a instanceof Attr.Ints is) {
            ab.setType(OnnxMl.AttributeProto.AttributeType.INTS).addAllInts(is.values());
        } else if (a instanceof Attr.Floats fs) {
            ab.setType(OnnxMl.AttributeProto.AttributeType.FLOATS).addAllFloats(fs.values());
        } else if (a instanceof Attr.Tensor t) {
            ab.setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(tensor("", t.value()));
        }
        return ab.build();
    }
}
