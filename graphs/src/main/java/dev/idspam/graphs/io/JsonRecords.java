package dev.idspam.graphs.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;

/**
 * Binds a JSON object to a Java record with Gson and, when a member has the wrong type, says which
 * one: Gson's own messages carry no field path for some mismatches, so the failing member is found
 * by binding the members one at a time. Missing members bind as null or 0; callers check the ones
 * they require.
 */
public final class JsonRecords {
    private static final int SHOWN = 40;

    private JsonRecords() {
    }

    /** A member that does not fit its component: {@code field} is the dotted path ({@code backbone.layers}). */
    public static final class BindException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        BindException(String field, String detail, Throwable cause) {
            super(detail, cause);
            this.field = field;
        }

        /** Dotted path of the member, or empty when the value itself is not an object. */
        public String field() {
            return field;
        }
    }

    /** Binds {@code json} to {@code type} with {@code gson}. */
    public static <T> T bind(Gson gson, JsonElement json, Class<T> type) throws BindException {
        try {
            return gson.fromJson(json, type);
        } catch (RuntimeException e) {
            String[] at = locate(gson, json, type, "");
            throw new BindException(at[0], at[1], e);
        }
    }

    /** {path, "must be ..., found ..."} of the first member that does not bind; the whole value when none is found. */
    private static String[] locate(Gson gson, JsonElement json, Type type, String path) {
        if (type instanceof Class<?> c && c.isRecord() && json.isJsonObject()) {
            JsonObject o = json.getAsJsonObject();
            for (RecordComponent rc : c.getRecordComponents()) {
                String name;
                try {
                    name = gson.fieldNamingStrategy().translateName(c.getDeclaredField(rc.getName()));
                } catch (NoSuchFieldException e) {
                    continue;
                }
                JsonElement member = o.get(name);
                if (member != null && !member.isJsonNull() && !binds(gson, member, rc.getGenericType())) {
                    return locate(gson, member, rc.getGenericType(), path.isEmpty() ? name : path + "." + name);
                }
            }
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                && Collection.class.isAssignableFrom(raw) && json.isJsonArray()) {
            for (int i = 0; i < json.getAsJsonArray().size(); i++) {
                JsonElement element = json.getAsJsonArray().get(i);
                if (!binds(gson, element, p.getActualTypeArguments()[0])) {
                    return locate(gson, element, p.getActualTypeArguments()[0], path + "[" + i + "]");
                }
            }
        }
        return new String[] {path, "must be " + expected(type) + ", found " + shown(json)};
    }

    private static boolean binds(Gson gson, JsonElement json, Type type) {
        try {
            gson.fromJson(json, type);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String expected(Type type) {
        Type raw = type instanceof ParameterizedType p ? p.getRawType() : type;
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "a whole number";
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            return "a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw == String.class) {
            return "a string";
        }
        if (raw instanceof Class<?> c && Collection.class.isAssignableFrom(c)) {
            return "an array";
        }
        return raw instanceof Class<?> c && (Map.class.isAssignableFrom(c) || c.isRecord() || JsonObject.class == c)
                ? "an object" : "of the recorded form";
    }

    /** The value as written, cut to a few dozen characters. */
    private static String shown(JsonElement e) {
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            String s = p.isString() ? p.getAsString().replaceAll("\\s+", " ") : p.toString();
            s = s.length() > SHOWN ? s.substring(0, SHOWN - 3) + "..." : s;
            return p.isString() ? "the string '" + s + "'" : s;
        }
        return e.isJsonArray() ? "an array" : e.isJsonObject() ? "an object" : "nothing (JSON null)";
    }
}
