package dev.hangar.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.core.size.VmSize;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The vm_sizes table: the VM size catalog. */
final class VmSizeRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final RowMapper<VmSize> SIZE = (rs, ctx) -> new VmSize(
            rs.getString("name"),
            rs.getString("family"),
            rs.getInt("vcpus"),
            rs.getDouble("memory_gb"),
            rs.getInt("gpus"),
            rs.getDouble("price_per_hour"),
            rs.getDouble("low_priority_price_per_hour"),
            rs.getBoolean("low_priority_capable"),
            Json.read(rs.getString("compute_types"), STRINGS));

    private final Handle handle;

    VmSizeRows(Handle handle) {
        this.handle = handle;
    }

    List<VmSize> all() {
        return handle.createQuery("SELECT name, family, vcpus, memory_gb, gpus, price_per_hour,"
                        + " low_priority_price_per_hour, low_priority_capable, compute_types FROM vm_sizes"
                        + " ORDER BY lower(family), vcpus, name_key")
                .map(SIZE).list();
    }

    void put(VmSize size) {
        delete(size.name());
        handle.createUpdate("INSERT INTO vm_sizes (name_key, name, family, vcpus, memory_gb, gpus, price_per_hour,"
                        + " low_priority_price_per_hour, low_priority_capable, compute_types) VALUES (:key, :name,"
                        + " :family, :vcpus, :memory, :gpus, :price, :lowPrice, :lowCapable, :types)")
                .bind("key", Columns.key(size.name()))
                .bind("name", size.name())
                .bind("family", size.family())
                .bind("vcpus", size.vCpus())
                .bind("memory", size.memoryGb())
                .bind("gpus", size.gpus())
                .bind("price", size.pricePerHour())
                .bind("lowPrice", size.lowPriorityPricePerHour())
                .bind("lowCapable", size.lowPriorityCapable())
                .bind("types", Json.write(size.computeTypes()))
                .execute();
    }

    void delete(String name) {
        handle.createUpdate("DELETE FROM vm_sizes WHERE name_key = :key").bind("key", Columns.key(name)).execute();
    }

    int countComputes(String name) {
        return handle.createQuery("SELECT COUNT(*) FROM computes WHERE lower(vm_size) = :key")
                .bind("key", Columns.key(name)).mapTo(Integer.class).one();
    }
}
