package dev.idspam.graphs.backbone;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of the user's Maven {@code settings.xml} that decide where a backbone jar is fetched
 * from and stored: the local repository, offline mode, mirrors, proxies and the servers holding
 * their credentials. Plain JDK XML; nothing else of Maven is read.
 */
record MavenSettings(Path file, String localRepository, boolean offline, List<Mirror> mirrors, List<Proxy> proxies,
                     List<Server> servers) {
    static final MavenSettings NONE = new MavenSettings(null, null, false, List.of(), List.of(), List.of());

    /** A {@code <mirror>}: {@code mirrorOf} is Maven's pattern ({@code *}, {@code central}, {@code external:*}, {@code !id}, ...). */
    record Mirror(String id, String url, String mirrorOf, boolean blocked) {
    }

    /** An active {@code <proxy>}; {@code nonProxyHosts} is {@code |}-separated with {@code *} wildcards. */
    record Proxy(String id, String protocol, String host, int port, String username, String password, String nonProxyHosts) {
    }

    /** A {@code <server>}: credentials for the mirror or proxy of the same id. */
    record Server(String id, String username, String password) {
    }

    /** {@code ~/.m2/settings.xml}; {@link #NONE} when there is none. */
    static MavenSettings user() {
        return read(Path.of(System.getProperty("user.home"), ".m2", "settings.xml"));
    }

    /** Reads {@code file}; {@link #NONE} when it does not exist. A file that does not parse is an error naming it. */
    static MavenSettings read(Path file) {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(file.toFile());
            root = doc.getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException ex) {
            throw new IllegalStateException("Maven settings " + file + ": " + ex.getMessage(), ex);
        }
        List<Mirror> mirrors = new ArrayList<>();
        for (Element m : children(child(root, "mirrors"), "mirror")) {
            mirrors.add(new Mirror(text(m, "id", "default"), text(m, "url", null), text(m, "mirrorOf", null),
                    Boolean.parseBoolean(text(m, "blocked", "false"))));
        }
        List<Proxy> proxies = new ArrayList<>();
        for (Element p : children(child(root, "proxies"), "proxy")) {
            if (!Boolean.parseBoolean(text(p, "active", "true"))) {
                continue;
            }
            String port = text(p, "port", "8080");
            try {
                proxies.add(new Proxy(text(p, "id", "default"), text(p, "protocol", "http"), text(p, "host", null),
                        Integer.parseInt(port), text(p, "username", null), text(p, "password", null),
                        text(p, "nonProxyHosts", null)));
            } catch (NumberFormatException ex) {
                throw new IllegalStateException("Maven settings " + file + ": proxy port '" + port + "' is not a number", ex);
            }
        }
        List<Server> servers = new ArrayList<>();
        for (Element s : children(child(root, "servers"), "server")) {
            servers.add(new Server(text(s, "id", null), text(s, "username", null), text(s, "password", null)));
        }
        return new MavenSettings(file, text(root, "localRepository", null),
                Boolean.parseBoolean(text(root, "offline", "false")), List.copyOf(mirrors), List.copyOf(proxies),
                List.copyOf(servers));
    }

    /** The local repository named here, with {@code ${user.home}}, {@code ${env.X}} and other properties expanded; null if none. */
    Path localRepositoryPath() {
        return localRepository == null ? null : Path.of(interpolate(localRepository, System.getenv()));
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    static String interpolate(String value, Map<String, String> env) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String v = key.startsWith("env.") ? env.get(key.substring(4)) : System.getProperty(key);
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static String text(Element parent, String name, String fallback) {
        Element e = child(parent, name);
        String t = e == null ? null : e.getTextContent().strip();
        return t == null || t.isEmpty() ? fallback : t;
    }
}
