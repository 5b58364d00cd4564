package dev.kbr;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.kbr.state.StoreLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package layout of STYLE.md, enforced so it cannot drift. */
class PackageRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.kbr");
    }

    @Test
    void modelImportsOnlyTheJdkAndJacksonTrees() {
        classes()
                .that()
                .resideInAPackage("dev.kbr.model..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.kbr.model..", "java..", "com.fasterxml.jackson.databind..")
                .check(classes);
    }

    @Test
    void purePackagesDoNoIoThroughAdapters() {
        classes()
                .that()
                .resideInAnyPackage("dev.kbr.plan..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.kbr.plan..", "dev.kbr.model..", "java..", "com.fasterxml.jackson.databind..")
                .check(classes);
        classes()
                .that()
                .resideInAnyPackage("dev.kbr.schedule..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.kbr.schedule..", "dev.kbr.model..", "java..")
                .check(classes);
        classes()
                .that()
                .resideInAnyPackage("dev.kbr.state.diff..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.kbr.state", "dev.kbr.state.diff..", "dev.kbr.model..", "java..")
                .check(classes);
        classes()
                .that()
                .resideInAnyPackage("dev.kbr.state.layout..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kbr.state",
                        "dev.kbr.state.layout..",
                        "dev.kbr.model..",
                        "java..",
                        "com.fasterxml.jackson..")
                .check(classes);
    }

    @Test
    void theExecutePhaseKnowsNothingOfThePassOrTheStateStores() {
        noClasses()
                .that()
                .resideInAPackage("dev.kbr.execute..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.kbr.engine..", "dev.kbr.state..", "dev.kbr.cli..")
                .check(classes);
    }

    @Test
    void jgitIsUsedOnlyByTheGitAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.state.git..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.eclipse.jgit..")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootKnowsTheGitAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.kbr.state.git..", "dev.kbr.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kbr.state.git..")
                .check(classes);
    }

    @Test
    void theS3ClientIsUsedOnlyByTheBucketAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.state.bucket..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootKnowsTheBucketAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.kbr.state.bucket..", "dev.kbr.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kbr.state.bucket..")
                .check(classes);
    }

    /**
     * The state seam and everything above it speak of versions and content ids: a bucket has no
     * blobs, branches, commit messages or trailers. Reports may print a Git store's branch, which
     * they get from {@code StoreLocation}, the one place outside the adapter that carries it.
     */
    @Test
    void gitConceptsStayInTheGitAdapter() {
        String gitWords = ".*([Bb]lob|[Bb]ranch|[Tt]railer|[Cc]ommitId|[Cc]ommitMessage).*|.*[Hh]ead";
        String[] seam = {
            "dev.kbr.state",
            "dev.kbr.state.diff..",
            "dev.kbr.state.layout..",
            "dev.kbr.engine..",
            "dev.kbr.report..",
            "dev.kbr.plan..",
            "dev.kbr.execute.."
        };
        DescribedPredicate<JavaMember> inTheSeam = JavaMember.Predicates.declaredIn(
                        JavaClass.Predicates.resideInAnyPackage(seam))
                .and(DescribedPredicate.not(JavaMember.Predicates.declaredIn(StoreLocation.class)));
        noMembers().that(inTheSeam).should().haveNameMatching(gitWords).check(classes);
    }

    @Test
    void dockerJavaIsUsedOnlyByTheDockerAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.pipeline.docker..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.github.dockerjava..")
                .check(classes);
    }

    @Test
    void fabric8IsUsedOnlyByTheKubernetesAdapter() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.pipeline.kubernetes..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.fabric8..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("io.fabric8.zjsonpatch.."))))
                .check(classes);
    }

    /** The platform API server applies JSON patches with fabric8's zjsonpatch, its only fabric8 part. */
    @Test
    void jsonPatchAndCertificatesAreUsedOnlyByThePlatformApiServer() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.platformapi.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.fabric8.zjsonpatch..", "org.bouncycastle..")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootKnowsThePlatformApiServer() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.kbr.platformapi.server..", "dev.kbr.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kbr.platformapi.server..")
                .check(classes);
    }

    @Test
    void schemaAndCelLibrariesAreUsedOnlyByValidation() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.validate..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.cel..", "com.networknt..")
                .check(classes);
    }

    @Test
    void theEngineUsesInterfacesNeverAdapters() {
        noClasses()
                .that()
                .resideInAPackage("dev.kbr.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kbr.pipeline.docker..",
                        "dev.kbr.pipeline.kubernetes..",
                        "dev.kbr.state.git..",
                        "dev.kbr.state.bucket..",
                        "dev.kbr.cli..")
                .check(classes);
    }

    @Test
    void nothingImportsTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.kbr.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kbr.cli..")
                .check(classes);
    }

    @Test
    void reportsDependOnlyOnModelPipelineAndState() {
        classes()
                .that()
                .resideInAPackage("dev.kbr.report..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "dev.kbr.report..",
                        "dev.kbr.model..",
                        "dev.kbr.pipeline",
                        "dev.kbr.state",
                        "java..",
                        "com.github.difflib..",
                        // JSON output, and object bodies, which the model keeps as Jackson trees.
                        "com.fasterxml.jackson..")
                .check(classes);
    }
}
