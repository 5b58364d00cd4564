package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.StateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret, ConfigMap and projected pipeline volumes end to end: {@code kbr apply} on a platform
 * whose Promise mounts them in a shell-script pipeline (image {@code kbr.local/busybox-base}, built
 * by {@code ci/build-fixture-images}) run on the real Docker engine, Secrets from {@code
 * --secrets-dir}, ConfigMaps from the platform repository, outputs pushed to a real Git state
 * repository.
 */
class PipelineVolumesIT {
    private static final String PASSWORD = "hunter2-pw";
    private static final String OUT = "worker/resources/team-a/readers/one/read/5058f/";

    @TempDir
    Path tmp;

    private StateRepo repo;
    private Path platform;
    private Path secrets;

    @BeforeEach
    void setUp() throws Exception {
        repo = StateRepo.bare(tmp);
        platform = PlatformYaml.newPlatform(tmp.resolve("platform"), PlatformYaml.gitStoreAndWorker());
        Files.writeString(platform.resolve("settings.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: team-a}
                data: {region: eu-west-2, size: small}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: team-b}
                data: {region: us-east-1, size: large}
                """);
        Files.writeString(platform.resolve("request.yaml"), """
                apiVersion: test.kbr.dev/v1
                kind: Reader
                metadata: {name: one, namespace: team-a}
                spec: {}
                """);
        Path db = Files.createDirectories(tmp.resolve("secrets/team-a/db"));
        Files.writeString(db.resolve("password"), PASSWORD + "\n");
        Files.writeString(db.resolve("username"), "alice");
        secrets = tmp.resolve("secrets");
    }

    /** A Promise {@code readers} whose one pipeline mounts the volumes and runs {@code script}. */
    private void promise(String script) throws Exception {
        promise(VOLUMES, script, MOUNTS);
    }

    /** A Promise {@code readers} whose one pipeline has {@code volumes} and runs {@code script}. */
    private void promise(String volumes, String script, String containerMore) throws Exception {
        Files.writeString(
                platform.resolve("promise.yaml"),
                PlatformYaml.promise("readers", "Reader")
                        .selecting("env: dev")
                        .singular()
                        .schema("openAPIV3Schema: {type: object, properties: {spec: {type: object}}}\n")
                        .configure(PlatformYaml.pipeline("read", "read", volumes, script, containerMore)));
    }

    private static final String VOLUMES = """
            - name: creds
              secret:
                secretName: db
                defaultMode: 0400
                items:
                - {key: password, path: db/password}
                - {key: username, path: username, mode: 0440}
            - name: settings
              configMap: {name: settings}
            - name: both
              projected:
                defaultMode: 0640
                sources:
                - secret: {name: db, items: [{key: username, path: user}]}
                - configMap: {name: settings, items: [{key: region, path: region, mode: 0444}]}
            - name: maybe
              secret: {secretName: absent, optional: true}
            """;

    private static final String MOUNTS = """
            volumeMounts:
            - {name: creds, mountPath: /creds}
            - {name: settings, mountPath: /etc/settings}
            - {name: both, mountPath: /both, readOnly: true}
            - {name: maybe, mountPath: /maybe}
            """;

    /** Reads every volume; compares the password with one spelled so the Promise does not hold it. */
    private static final String READ = """
            out=/kratix/output/read.txt
            stat -c '%a %n' /creds/db/password /creds/username /etc/settings/region /etc/settings/size /both/user /both/region > $out
            echo "maybe holds $(ls -A /maybe | wc -l) files" >> $out
            echo "user=$(cat /creds/username) region=$(cat /etc/settings/region) size=$(cat /etc/settings/size) both=$(cat /both/user),$(cat /both/region)" >> $out
            [ "$(cat /creds/db/password)" = "hunter2-$(echo pw)" ] && echo "password matches" >> $out
            echo "the password is $(cat /creds/db/password)"
            """;

    @Test
    void aPipelineReadsSecretConfigMapAndProjectedVolumesWithTheirItemsAndModes() throws Exception {
        promise(READ);

        StateRepo.Run apply = repo.kbr(platform, "apply", "--secrets-dir", secrets.toString());

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(repo.show(OUT + "read.txt")).isEqualTo("""
                        400 /creds/db/password
                        440 /creds/username
                        644 /etc/settings/region
                        644 /etc/settings/size
                        640 /both/user
                        444 /both/region
                        maybe holds 0 files
                        user=alice region=eu-west-2 size=small both=alice,eu-west-2
                        password matches
                        """);
        assertThat(apply.out()).doesNotContain(PASSWORD);
        assertThat(repo.git("log", "-p", "main")).doesNotContain(PASSWORD);
    }

    @Test
    void aContainerPrintingAMountedSecretHasItRedactedFromTheReport() throws Exception {
        promise(READ + "exit 3");

        StateRepo.Run failing = repo.kbr(platform, "apply", "--secrets-dir", secrets.toString());
        StateRepo.Run json = repo.kbr(platform, "plan", "--secrets-dir", secrets.toString(), "--output", "json");

        assertThat(failing.exitCode()).isEqualTo(Main.ERROR);
        assertThat(failing.out())
                .contains("exited with code 3")
                .contains("the password is <Secret in volume creds: db/password>")
                .doesNotContain(PASSWORD);
        assertThat(json.out()).doesNotContain(PASSWORD);
    }

    @Test
    void aMissingSecretOrConfigMapFailsThePipelineSayingWhereToPutItAndOthersRun() throws Exception {
        promise(READ);
        Files.writeString(platform.resolve("request-b.yaml"), """
                apiVersion: test.kbr.dev/v1
                kind: Reader
                metadata: {name: two, namespace: team-b}
                spec: {}
                """);
        Path teamB = Files.createDirectories(secrets.resolve("team-b/db"));
        Files.writeString(teamB.resolve("username"), "bob");

        StateRepo.Run apply = repo.kbr(platform, "apply", "--secrets-dir", secrets.toString());

        assertThat(apply.exitCode()).isEqualTo(Main.ERROR);
        assertThat(apply.out())
                .contains("FAILED readers/team-b/two resource.configure read")
                .contains("pipeline read (promise.yaml:23) volume creds needs Secret team-b/db key password,"
                        + " which is not available; put it in --secrets-dir as team-b/db/password or set"
                        + " KBR_SECRET_TEAM_B_DB_PASSWORD, or set optional: true on the volume's Secret")
                .doesNotContain(PASSWORD);
        assertThat(repo.show(OUT + "read.txt")).contains("password matches");
    }

    @Test
    void variablesComeFromTheRepositorysConfigMapsAndABinarySecretIsMountedByteForByte() throws Exception {
        byte[] keystore = {0x30, (byte) 0x82, 0x01, (byte) 0xff, 0x00, (byte) 0xc3, 0x28, 0x0a};
        Files.write(secrets.resolve("team-a/db/keystore.p12"), keystore);
        promise("""
                - name: store
                  secret: {secretName: db, items: [{key: keystore.p12, path: keystore.p12}]}
                """, """
                out=/kratix/output/env.txt
                echo "REGION=$REGION CFG_size=$CFG_size CFG_region=$CFG_region LITERAL=$LITERAL" > $out
                od -An -tx1 /store/keystore.p12 | tr -s ' ' >> $out
                """, """
                env:
                - name: REGION
                  valueFrom: {configMapKeyRef: {name: settings, key: region}}
                - name: LITERAL
                  valueFrom: {configMapKeyRef: {name: settings, key: size}}
                - name: GONE
                  valueFrom: {configMapKeyRef: {name: settings, key: absent, optional: true}}
                envFrom:
                - prefix: CFG_
                  configMapRef: {name: settings}
                volumeMounts:
                - {name: store, mountPath: /store}
                """);

        StateRepo.Run apply = repo.kbr(platform, "apply", "--secrets-dir", secrets.toString());

        assertThat(apply.exitCode()).as(apply.out()).isZero();
        assertThat(repo.show(OUT + "env.txt"))
                .isEqualTo("REGION=eu-west-2 CFG_size=small CFG_region=eu-west-2 LITERAL=small\n"
                        + " 30 82 01 ff 00 c3 28 0a\n");

        Files.writeString(
                platform.resolve("promise.yaml"),
                Files.readString(platform.resolve("promise.yaml")).replace("key: region}", "key: zone}"));
        StateRepo.Run missing = repo.kbr(platform, "apply", "--secrets-dir", secrets.toString());
        assertThat(missing.exitCode()).isEqualTo(Main.ERROR);
        assertThat(missing.out())
                .contains("container read needs ConfigMap team-a/settings key zone, which is not available; add a v1"
                        + " ConfigMap settings in namespace team-a with data.zone to the platform repository");
        assertThat(repo.show(OUT + "env.txt")).as("what it delivered is kept").contains("REGION=eu-west-2");
    }
}
