package dev.hangar.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.custom.CustomService;
import dev.hangar.core.idle.IdleShutdown;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.core.spi.engine.SparkApplication;
import java.util.List;
import java.util.Map;

/** The JSON text columns: small values (tags, errors, apps, user references) that are read and written whole. */
final class Json {
    static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    static final TypeReference<List<ComputeError>> ERRORS = new TypeReference<>() { };
    static final TypeReference<List<AppEndpoint>> APPS = new TypeReference<>() { };
    static final TypeReference<ComputeError> ERROR = new TypeReference<>() { };
    static final TypeReference<UserRef> USER_REF = new TypeReference<>() { };
    static final TypeReference<SetupScripts> SETUP_SCRIPTS = new TypeReference<>() { };
    static final TypeReference<List<CustomService>> CUSTOM_SERVICES = new TypeReference<>() { };
    static final TypeReference<IdleShutdown> IDLE_SHUTDOWN = new TypeReference<>() { };
    static final TypeReference<List<ComputeSchedule>> SCHEDULES = new TypeReference<>() { };
    static final TypeReference<SparkApplication> SPARK = new TypeReference<>() { };

    // Only record components are stored: derived is-getters such as AppEndpoint.isAvailable() are not data, and a
    // property a later version dropped must not make old rows unreadable.
    // Store calls run on virtual threads, where per-thread buffer recycling recycles nothing: share one pool.
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .addModule(new JavaTimeModule())
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The JSON text of {@code value}; SQL NULL (Java null) for null. */
    static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot store " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(String text, TypeReference<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not a " + type.getType() + ": " + text, e);
        }
    }
}
