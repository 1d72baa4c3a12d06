package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace's file share through the API, on a real server and its disk: each user writes under
 * {@code Users/<name>/}, members read everything, administrators write anywhere; files arrive whole; folders list;
 * deletes; and no path, encoded or linked, reaches outside the share.
 */
class FilesIT {
    static final String WS = WireFormatIT.WS;
    static final String FILES = WS + "/files/";

    @TempDir
    static Path data;
    @TempDir
    static Path scratch;
    static ServerProcess server;
    static Https https;
    static String admin;
    static String alice;
    static String reader;
    static String outsider;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        alice = https.createUser(admin, "alice");
        reader = https.createUser(admin, "rita", "Reader");
        outsider = https.createUser(admin, "oscar", null);
        // The share's folder is made on its first use.
        assertThat(https.send("GET", FILES, admin, null).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aUserWritesUnderTheirOwnFolderAndEveryMemberReadsIt() throws Exception {
        var put = put("Users/alice/notes/r%C3%A9sum%C3%A9%20v1.txt", alice, "first");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(json(put).get("path").asText()).isEqualTo("Users/alice/notes/résumé v1.txt");
        assertThat(json(put).get("type").asText()).isEqualTo("File");
        assertThat(json(put).get("size").asLong()).isEqualTo(5);
        var replaced = put("Users/alice/notes/r%C3%A9sum%C3%A9%20v1.txt", alice, "second, longer");
        assertThat(replaced.statusCode()).as("a file replaced").isEqualTo(200);

        var file = scratch.resolve("downloaded");
        var got = https.download(FILES + "Users/alice/notes/r%C3%A9sum%C3%A9%20v1.txt", reader, file);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(file).hasContent("second, longer");
        assertThat(got.headers().firstValue("Content-Disposition")).hasValueSatisfying(value ->
                assertThat(value).contains("r%C3%A9sum%C3%A9%20v1.txt"));

        var root = list("", reader);
        assertThat(names(root)).contains("Users");
        var own = list("Users/alice", alice);
        assertThat(own).singleElement().satisfies(entry -> {
            assertThat(entry.get("name").asText()).isEqualTo("notes");
            assertThat(entry.get("type").asText()).isEqualTo("Folder");
            assertThat(entry.get("path").asText()).isEqualTo("Users/alice/notes");
        });
        assertThat(list("Users/alice/notes", reader)).singleElement().satisfies(entry ->
                assertThat(entry.get("size").asLong()).isEqualTo(14));
        assertThat(list("Users/alice/notes/r%C3%A9sum%C3%A9%20v1.txt?metadata=true", reader)).as("a file's entry")
                .singleElement().satisfies(entry -> {
                    assertThat(entry.get("type").asText()).isEqualTo("File");
                    assertThat(entry.get("name").asText()).isEqualTo("résumé v1.txt");
                });
        assertThat(Files.readString(share().resolve("Users/alice/notes/résumé v1.txt"))).isEqualTo("second, longer");
        assertThat(leftUploads()).isEmpty();
    }

    @Test
    void onlyAdministratorsWriteOutsideTheirOwnFolderAndReadersAndOutsidersWriteNothing() {
        assertRefused(put("Users/bob/x.txt", alice, "not mine"), 403, "AuthorizationFailed");
        assertRefused(put("Logs/box/setup.log", alice, "not mine"), 403, "AuthorizationFailed");
        assertRefused(put("Users/alice", alice, "the folder itself"), 403, "AuthorizationFailed");
        assertRefused(put("Users/rita/mine.txt", reader, "a reader writes nothing"), 403, "AuthorizationFailed");
        assertRefused(https.send("GET", FILES, outsider, null), 403, "AuthorizationFailed");
        assertThat(share().resolve("Users/bob")).doesNotExist();
        assertThat(share().resolve("Logs/box")).doesNotExist();

        assertThat(put("Logs/box/setup.log", admin, "by an administrator").statusCode()).isEqualTo(201);
        assertRefused(https.send("DELETE", FILES + "Logs/box/setup.log", alice, null), 403, "AuthorizationFailed");
        assertThat(share().resolve("Logs/box/setup.log")).exists();
    }

    @Test
    void foldersAreDeletedWholeOnlyWhenAskedAndWhatIsGoneIsNotFound() throws Exception {
        assertThat(put("Users/alice/tmp/a/b.txt", alice, "b").statusCode()).isEqualTo(201);
        assertThat(put("Users/alice/tmp/c.txt", alice, "c").statusCode()).isEqualTo(201);

        assertRefused(https.send("DELETE", FILES + "Users/alice/tmp", alice, null), 409, "FolderNotEmpty");
        assertThat(https.send("DELETE", FILES + "Users/alice/tmp/c.txt", alice, null).statusCode()).isEqualTo(200);
        assertThat(https.send("DELETE", FILES + "Users/alice/tmp?recursive=true", alice, null).statusCode())
                .isEqualTo(200);

        assertThat(share().resolve("Users/alice/tmp")).doesNotExist();
        assertRefused(https.send("GET", FILES + "Users/alice/tmp/a/b.txt", alice, null), 404, "FileNotFound");
        assertRefused(https.send("DELETE", FILES + "Users/alice/tmp", alice, null), 404, "FileNotFound");
    }

    @Test
    void aFileNeverStandsForAFolderNorAFolderForAFile() throws Exception {
        assertThat(put("Users/alice/shape/f", alice, "a file").statusCode()).isEqualTo(201);

        assertRefused(put("Users/alice/shape/f/g", alice, "under a file"), 409, "FolderIsAFile");
        assertRefused(put("Users/alice/shape", alice, "over a folder"), 409, "FileIsAFolder");
        assertThat(share().resolve("Users/alice/shape/f")).hasContent("a file");
        assertThat(leftUploads()).isEmpty();
    }

    @Test
    void noPathReachesOutsideTheShareByItsTextOrThroughALink() throws Exception {
        assertRefused(https.send("GET", FILES + "Users/alice/a%5Cb", alice, null), 400, "InvalidFilePath");
        assertRefused(put("Users/alice/a%5Cb", alice, "x"), 400, "InvalidFilePath");

        // An instance that mounts the share could leave a link in it: the share never follows one.
        var own = Files.createDirectories(share().resolve("Users/alice/links"));
        var outside = Files.createDirectories(scratch.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "outside the share");
        Files.createSymbolicLink(own.resolve("out"), outside);
        Files.createSymbolicLink(own.resolve("secret-file"), outside.resolve("secret"));

        assertRefused(https.send("GET", FILES + "Users/alice/links/out/secret", alice, null), 400,
                "FilePathOutsideShare");
        assertRefused(https.send("GET", FILES + "Users/alice/links/secret-file", alice, null), 400,
                "FilePathOutsideShare");
        assertRefused(put("Users/alice/links/out/planted", alice, "x"), 400, "FilePathOutsideShare");
        assertRefused(put("Users/alice/links/secret-file", alice, "x"), 400, "FilePathOutsideShare");
        assertRefused(https.send("DELETE", FILES + "Users/alice/links/out/secret", alice, null), 400,
                "FilePathOutsideShare");
        assertThat(list("Users/alice/links", alice)).as("links are not listed").isEmpty();
        assertThat(outside.resolve("planted")).doesNotExist();
        assertThat(outside.resolve("secret")).hasContent("outside the share");

        assertThat(https.send("DELETE", FILES + "Users/alice/links?recursive=true", alice, null).statusCode())
                .as("a folder with links in it is deleted, the links as links").isEqualTo(200);
        assertThat(outside.resolve("secret")).hasContent("outside the share");
        assertThat(leftUploads()).isEmpty();
    }

    private static HttpResponse<String> put(String path, String token, String content) {
        return https.sendBytes("PUT", FILES + path, token, content.getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
    }

    private static List<JsonNode> list(String path, String token) {
        var response = https.send("GET", FILES + path, token, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var entries = new ArrayList<JsonNode>();
        json(response).get("value").forEach(entries::add);
        return entries;
    }

    private static List<String> names(List<JsonNode> entries) {
        return entries.stream().map(entry -> entry.get("name").asText()).toList();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Https.json(response);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).at("/error/code").asText()).isEqualTo(code);
    }

    /** The default workspace's share on disk: the one folder under {@code <data>/files}. */
    private static Path share() {
        try (var shares = Files.list(data.resolve("files"))) {
            return shares.filter(Files::isDirectory).findFirst().orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Path> leftUploads() throws Exception {
        var uploads = data.resolve("cache").resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return List.of();
        }
        try (var left = Files.list(uploads)) {
            return left.toList();
        }
    }
}
