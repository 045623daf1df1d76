package dev.idspam.graphs.backbone;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.Authentication;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

import java.nio.file.Path;
import java.util.List;

/**
 * Downloads one jar, without its dependencies, into the local Maven repository with Maven Resolver
 * (the library Maven itself resolves with), and refuses it unless a checksum published next to it
 * (SHA-1, else MD5) matches. Catalog backbones come through here on first use.
 *
 * <p>Crash safety: the resolver downloads into a temporary file beside the target and moves it into
 * place only after the checksum matched, so an interrupted or corrupt download never leaves a jar
 * at the path {@link BackboneCatalog} looks at. Failed attempts are not cached: the next run tries again.
 */
public final class MavenJarFetcher {
    /** Maven Central, the repository a plain Maven uses; a {@code <mirror>} in settings.xml may replace it. */
    public static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    /**
     * Follows one download. This module draws nothing: the command line renders these calls as its
     * progress bar, and {@link #NONE} ignores them.
     */
    public interface Progress {
        /** Shows nothing. */
        Progress NONE = new Progress() {
            @Override
            public void started(String coordinates, String url, long total) {
            }

            @Override
            public void progressed(long bytes, long total) {
            }

            @Override
            public void ended(boolean ok) {
            }
        };

        /** The jar starts to arrive from {@code url}; {@code total} bytes, -1 when the server does not say. */
        void started(String coordinates, String url, long total);

        /** {@code bytes} of {@code total} have arrived (a retry starts again from 0). */
        void progressed(long bytes, long total);

        /** The download ended: {@code ok} is false when it failed or its checksum did not match. */
        void ended(boolean ok);
    }

    private final Path localRepository;
    private final String remoteUrl;
    private final MavenSettings settings;
    private final Progress progress;

    /** Fetches from {@code remoteUrl} (an {@code https://} or {@code file:} URL) with no settings.xml; offline refuses every download. */
    public MavenJarFetcher(Path localRepository, String remoteUrl, boolean offline, Progress progress) {
        this(localRepository, remoteUrl, new MavenSettings(null, null, offline, List.of(), List.of(), List.of()), progress);
    }

    MavenJarFetcher(Path localRepository, String remoteUrl, MavenSettings settings, Progress progress) {
        this.localRepository = localRepository;
        this.remoteUrl = remoteUrl;
        this.settings = settings;
        this.progress = progress;
    }

    /** Fetches from Maven Central as the user's {@code ~/.m2/settings.xml} says (offline, mirrors, proxies). */
    public static MavenJarFetcher withUserSettings(Path localRepository, Progress progress) {
        return new MavenJarFetcher(localRepository, CENTRAL_URL, MavenSettings.user(), progress);
    }

    /**
     * Makes {@code groupId:artifactId:version}'s jar present in the local repository and returns its
     * path. Errors are one line naming the coordinates, the repository and the cause.
     */
    public Path fetch(String coordinates) {
        Artifact artifact = new DefaultArtifact(coordinates);
        RepositorySystem system = new RepositorySystemSupplier().get();
        String from = "central (" + remoteUrl + ")";
        try (RepositorySystemSession.CloseableSession session = session(system, coordinates)) {
            RepositoryPolicy policy = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_NEVER,
                    RepositoryPolicy.CHECKSUM_POLICY_FAIL);
            RemoteRepository central = new RemoteRepository.Builder("central", "default", remoteUrl)
                    .setReleasePolicy(policy).setSnapshotPolicy(new RepositoryPolicy(false, null, null)).build();
            List<RemoteRepository> repositories = system.newResolutionRepositories(session, List.of(central));
            RemoteRepository used = repositories.get(0);
            if (!used.getId().equals(central.getId())) {
                from = "mirror " + used.getId() + " (" + used.getUrl() + ")";
            }
            // Only the artifact itself: its POM's dependencies are never read.
            return system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null)).getArtifact().getPath();
        } catch (ArtifactResolutionException ex) {
            throw new IllegalStateException(describe(coordinates, from, ex), ex);
        } finally {
            system.shutdown();
        }
    }

    private RepositorySystemSession.CloseableSession session(RepositorySystem system, String coordinates) {
        RepositorySystemSession.SessionBuilder b = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setOffline(settings.offline())
                .setChecksumPolicy(RepositoryPolicy.CHECKSUM_POLICY_FAIL)
                .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(ResolutionErrorPolicy.CACHE_DISABLED))
                .setSystemProperties(System.getProperties())
                .setTransferListener(new Listener(coordinates));
        DefaultAuthenticationSelector auth = new DefaultAuthenticationSelector();
        for (MavenSettings.Server s : settings.servers()) {
            if (s.id() != null && s.username() != null) {
                auth.add(s.id(), authentication(s.id(), s.username(), s.password()));
            }
        }
        DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
        for (MavenSettings.Mirror m : settings.mirrors()) {
            if (m.url() != null && m.mirrorOf() != null) {
                mirrors.add(m.id(), m.url(), "default", false, m.blocked(), m.mirrorOf(), "*");
            }
        }
        DefaultProxySelector proxies = new DefaultProxySelector();
        for (MavenSettings.Proxy p : settings.proxies()) {
            Authentication a = p.username() == null ? null : authentication("proxy " + p.id(), p.username(), p.password());
            proxies.add(new org.eclipse.aether.repository.Proxy(p.protocol(), p.host(), p.port(), a), p.nonProxyHosts());
        }
        return b.setAuthenticationSelector(auth).setMirrorSelector(mirrors).setProxySelector(proxies).build();
    }

    private Authentication authentication(String owner, String username, String password) {
        if (password != null && password.startsWith("{") && password.endsWith("}")) {
            throw new IllegalStateException("Maven settings " + settings.file() + ": the password of " + owner
                    + " is encrypted, which only Maven itself can read; fetch the jar with mvn dependency:get instead");
        }
        AuthenticationBuilder a = new AuthenticationBuilder().addUsername(username);
        return (password == null ? a : a.addPassword(password)).build();
    }

    private String describe(String coordinates, String from, ArtifactResolutionException ex) {
        String where = " into " + localRepository;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ChecksumFailureException c) {
                return "checksum verification failed for " + coordinates + " from " + from + ": " + c.getMessage()
                        + "; the download was discarded";
            }
            if (t instanceof RepositoryOfflineException) {
                String why = settings.file() != null ? "Maven settings " + settings.file() + " say offline" : "offline mode";
                return "cannot download " + coordinates + " (" + why + ") and it is not in " + localRepository;
            }
        }
        Throwable root = ex;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String cause = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return "could not download " + coordinates + " from " + from + where + ": " + cause.replace('\n', ' ');
    }

    /** Reports the jar's own transfer; checksum files and POMs are not shown. */
    private final class Listener extends AbstractTransferListener {
        private final String coordinates;

        Listener(String coordinates) {
            this.coordinates = coordinates;
        }

        private boolean jar(TransferEvent e) {
            return e.getRequestType() == TransferEvent.RequestType.GET && e.getResource().getResourceName().endsWith(".jar");
        }

        @Override
        public void transferStarted(TransferEvent e) {
            if (jar(e)) {
                progress.started(coordinates, e.getResource().getRepositoryUrl() + e.getResource().getResourceName(),
                        e.getResource().getContentLength());
            }
        }

        @Override
        public void transferProgressed(TransferEvent e) {
            if (jar(e)) {
                progress.progressed(e.getTransferredBytes(), e.getResource().getContentLength());
            }
        }

        @Override
        public void transferSucceeded(TransferEvent e) {
            if (jar(e)) {
                progress.progressed(e.getTransferredBytes(), e.getResource().getContentLength());
                progress.ended(true);
            }
        }

        @Override
        public void transferCorrupted(TransferEvent e) {
            if (jar(e)) {
                progress.ended(false);
            }
        }

        @Override
        public void transferFailed(TransferEvent e) {
            if (jar(e)) {
                progress.ended(false);
            }
        }
    }
}
