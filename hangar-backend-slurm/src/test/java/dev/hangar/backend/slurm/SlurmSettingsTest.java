package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.backend.slurm.SlurmSettings.Connection;
import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.SshSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmSettingsTest {
    private static final Map<String, String> SSH = Map.of("connection", "Ssh", "address", "login.example",
            "username", "alice");
    private static final Map<String, String> KEY = Map.of("privateKeyData", "-----BEGIN OPENSSH PRIVATE KEY-----");
    private static final Map<String, String> REST = Map.of("connection", "Rest", "restUrl", "http://127.0.0.1:6820",
            "restUser", "root");
    private static final String TOKEN = Tokens.forged("root", Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void noSettingsMeanSlurmOnThisHostWithTheDefaults() {
        var settings = SlurmSettings.from(attachment(Map.of(), Map.of()));

        assertThat(settings).isEqualTo(new SlurmSettings(Connection.Local, null, null, null, null,
                "~/.hangar/jobs"));
    }

    @Test
    void everySettingIsRead() {
        var given = new HashMap<>(SSH);
        given.putAll(Map.of("connection", "ssh", "sshPort", "2222", "hostKey", "ssh-ed25519 AAAA",
                "slurmConf", "/etc/slurm/other.conf", "partition", "gpu", "workDirectory", "/shared/hangar/"));
        var settings = SlurmSettings.from(attachment(given, Map.of("privateKeyData", "key", "passphrase", "secret")));

        assertThat(settings).isEqualTo(new SlurmSettings(Connection.Ssh,
                new SshSettings("login.example", 2222, "alice", "ssh-ed25519 AAAA", "key", "secret", null), null,
                "/etc/slurm/other.conf", "gpu", "/shared/hangar"));
        assertThat(settings.toString()).doesNotContain("secret").doesNotContain("key,");
    }

    @Test
    void anAddressWithoutAConnectionMeansSsh() {
        var settings = SlurmSettings.from(attachment(Map.of("address", "login.example", "username", "alice"), KEY));

        assertThat(settings.connection()).isEqualTo(Connection.Ssh);
        assertRefused(attachment(Map.of("connection", "Local", "address", "login.example"), Map.of()),
                "[address] apply only when connection is Ssh");
    }

    @Test
    void sshHasPortTwentyTwoByDefaultAndMayUseAPassword() {
        var settings = SlurmSettings.from(attachment(SSH, Map.of("password", "pw")));

        assertThat(settings.ssh().port()).isEqualTo(22);
        assertThat(settings.ssh().password()).isEqualTo("pw");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "partiton|gpu|Unknown Slurm setting(s) [partiton]; known: [address, connection, hostKey, partition,"
                    + " restUrl, restUser, slurmConf, sshPort, username, workDirectory]",
            "connection|Pbs|connection must be Local, Ssh or Rest, not 'Pbs'",
            "restUser|alice|[restUser] apply only when connection is Rest",
            "sshPort|2222|[sshPort] apply only when connection is Ssh",
            "slurmConf|slurm.conf|slurmConf must be an absolute path, not 'slurm.conf'",
            "partition|-p x|partition must be a Slurm partition name",
            "workDirectory|jobs|workDirectory must be an absolute path or start with ~/",
            "workDirectory|/shared/../etc|without '..'",
            "workDirectory|/|workDirectory must be an absolute path"})
    void badSettingsAreRefusedNamingTheKey(String key, String value, String message) {
        assertRefused(attachment(Map.of(key, value), Map.of()), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "address||address is required when connection is Ssh",
            "username||username is required when connection is Ssh",
            "address|-oProxyCommand=x|address must be a host name or an IP address",
            "username|-l root|username must be an account name",
            "sshPort|0|sshPort must be a whole number from 1 to 65535, not '0'",
            "sshPort|65536|sshPort must be a whole number from 1 to 65535",
            "sshPort|ssh|sshPort must be a whole number from 1 to 65535, not 'ssh'"})
    void badSshSettingsAreRefusedNamingTheKey(String key, String value, String message) {
        var given = new HashMap<>(SSH);
        given.put(key, value == null ? "" : value);

        assertRefused(attachment(given, KEY), message);
    }

    @Test
    void sshNeedsAKeyOrAPasswordAndUnknownSecretsAreRefused() {
        assertRefused(attachment(SSH, Map.of()), "connection Ssh needs the secret privateKeyData or password");
        assertRefused(attachment(SSH, Map.of("token", "x")), "Unknown Slurm secret(s) [token]");
        assertRefused(attachment(SSH, Map.of("password", "pw", "restToken", TOKEN)),
                "[restToken] apply only when connection is Rest");
    }

    @Test
    void aRestUrlWithoutAConnectionMeansRestAndItsTokenNeverShows() {
        var settings = SlurmSettings.from(attachment(Map.of("restUrl", "http://127.0.0.1:6820/", "restUser", "root",
                "slurmConf", "/etc/slurm/slurm.conf", "partition", "gpu", "workDirectory", "/shared/hangar"),
                Map.of("restToken", "SLURM_JWT=" + TOKEN)));

        assertThat(settings.connection()).isEqualTo(Connection.Rest);
        assertThat(settings.ssh()).isNull();
        assertThat(settings.rest().url()).isEqualTo("http://127.0.0.1:6820");
        assertThat(settings.rest().user()).isEqualTo("root");
        assertThat(settings.rest().token().value()).isEqualTo(TOKEN);
        assertThat(settings.rest().token().user()).isEqualTo("root");
        assertThat(settings).extracting(SlurmSettings::slurmConf, SlurmSettings::partition,
                SlurmSettings::workDirectory).containsExactly("/etc/slurm/slurm.conf", "gpu", "/shared/hangar");
        assertThat(settings.toString()).doesNotContain(TOKEN).doesNotContain(TOKEN.split("\\.")[2]);
        assertThat(SlurmSettings.from(attachment(Map.of("connection", "REST", "restUrl", "https://slurm.example/api",
                "restUser", "root"), Map.of("restToken", TOKEN))).rest().url()).isEqualTo("https://slurm.example/api");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "address|login.example|[address] apply only when connection is Ssh",
            "sshPort|22|[sshPort] apply only when connection is Ssh",
            "username|alice|[username] apply only when connection is Ssh",
            "hostKey|ssh-ed25519 AAAA|[hostKey] apply only when connection is Ssh",
            "restUrl||restUrl is required when connection is Rest",
            "restUser||restUser is required when connection is Rest",
            "restUser|-u root|restUser must be an account name",
            "restUrl|ftp://slurm.example|restUrl must be http://host:port or https://host:port",
            "restUrl|http:///x|restUrl must be http://host:port",
            "restUrl|http://user@slurm.example|restUrl must be http://host:port",
            "restUrl|http://slurm.example/?a=b|restUrl must be http://host:port",
            "restUrl|127.0.0.1:6820|restUrl must be http://host:port"})
    void badRestSettingsAreRefusedNamingTheKey(String key, String value, String message) {
        var given = new HashMap<>(REST);
        given.put(key, value == null ? "" : value);

        assertRefused(attachment(given, Map.of("restToken", TOKEN)), message);
    }

    @Test
    void restNeedsAJwtOfItsUserAndNoSshSecret() {
        assertRefused(attachment(REST, Map.of()), "restToken is required when connection is Rest");
        assertRefused(attachment(REST, Map.of("restToken", "not-a-token")), "restToken must be a JWT");
        assertRefused(attachment(REST, Map.of("restToken", "a.b.c")), "its middle part is not base64url-encoded JSON");
        assertRefused(attachment(Map.of("restUrl", "http://127.0.0.1:6820", "restUser", "alice"),
                Map.of("restToken", TOKEN)), "restToken is for the user 'root', not restUser 'alice'");
        for (var secret : List.of("privateKeyData", "password", "passphrase")) {
            assertRefused(attachment(REST, Map.of("restToken", TOKEN, secret, "x")),
                    "[" + secret + "] apply only when connection is Ssh");
        }
        assertRefused(attachment(Map.of(), Map.of("restToken", TOKEN)),
                "[restToken] apply only when connection is Rest");
    }

    /** One Slurm however its address is written: case, a default port written out or not, a trailing slash. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "address=login1.HPC.example                     | ssh://login1.hpc.example:22",
        "address=LOGIN1.hpc.example,sshPort=22          | ssh://login1.hpc.example:22",
        "address=login1.hpc.example,sshPort=2222        | ssh://login1.hpc.example:2222",
        "address=127.0.0.1,connection=SSH               | ssh://127.0.0.1:22",
        "restUrl=http://Slurm-API.hpc.example:6820      | http://slurm-api.hpc.example:6820",
        "restUrl=HTTP://slurm-api.hpc.example:6820/     | http://slurm-api.hpc.example:6820",
        "restUrl=http://slurm-api.hpc.example           | http://slurm-api.hpc.example:80",
        "restUrl=http://slurm-api.hpc.example:80//      | http://slurm-api.hpc.example:80",
        "restUrl=https://slurm-api.hpc.example/slurm/   | https://slurm-api.hpc.example:443/slurm",
        "connection=local                               | local",
        "slurmConf=/etc/slurm/other.conf                | local:/etc/slurm/other.conf",
        "slurmConf=/etc/slurm//./other.conf             | local:/etc/slurm/other.conf",
    })
    void theResourceIsTheSameHoweverItsAddressIsWritten(String given, String resource) {
        var settings = new HashMap<String, String>();
        for (var pair : given.split(",")) {
            settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Map<String, String> secrets = Map.of();
        if (settings.containsKey("address")) {
            settings.put("username", "alice");
            secrets = KEY;
        } else if (settings.containsKey("restUrl")) {
            settings.put("restUser", "root");
            secrets = Map.of("restToken", TOKEN);
        }

        assertThat(SlurmSettings.from(attachment(settings, secrets)).resource()).isEqualTo(resource + "#default");
    }

    @Test
    void theAccountAndFoldersAreNotPartOfTheResourceButThePartitionIs() {
        var other = new HashMap<>(SSH);
        other.putAll(Map.of("username", "bob", "workDirectory", "/shared/jobs"));

        assertThat(SlurmSettings.from(attachment(other, Map.of("password", "pw"))).resource())
                .isEqualTo(SlurmSettings.from(attachment(SSH, KEY)).resource());
        assertThat(new SlurmEngineProvider().resource(attachment(SSH, KEY)))
                .isEqualTo("ssh://login.example:22#default");
        other.put("partition", "gpu");
        assertThat(SlurmSettings.from(attachment(other, KEY)).resource()).isEqualTo("ssh://login.example:22#gpu");
    }

    private static void assertRefused(EngineConnection attachment, String message) {
        var failure = catchThrowableOfType(EngineException.class, () -> SlurmSettings.from(attachment));

        assertThat(failure.code()).isEqualTo("InvalidSlurmSetting");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains(message);
    }

    private static EngineConnection attachment(Map<String, String> settings, Map<String, String> secrets) {
        return new EngineConnection("slurm-test", settings, secrets, Path.of("/var/lib/hangar/engines/slurm-test"));
    }
}
