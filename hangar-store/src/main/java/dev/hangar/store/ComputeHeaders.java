package dev.hangar.store;

import dev.hangar.core.compute.Compute;
import org.jdbi.v3.core.statement.SqlStatement;

/** The columns of the computes table every kind fills alike ({@link Compute}'s header), bound in one place. */
final class ComputeHeaders {
    private ComputeHeaders() {
    }

    /**
     * Binds {@code :id}, {@code :workspaceId}, {@code :name}, {@code :nameKey}, {@code :description}, {@code :tags},
     * {@code :createdBy}, {@code :createdById}, {@code :errors}, {@code :createdOn}, {@code :modifiedOn} and
     * {@code :version}.
     */
    static <S extends SqlStatement<S>> S bind(S statement, Compute compute) {
        return statement
                .bind("id", compute.id())
                .bind("workspaceId", compute.workspaceId())
                .bind("name", compute.name())
                .bind("nameKey", Columns.key(compute.name()))
                .bind("description", compute.description())
                .bind("tags", Json.write(compute.tags()))
                .bind("createdBy", Json.write(compute.createdBy()))
                .bind("createdById", compute.createdBy() == null ? null : compute.createdBy().objectId())
                .bind("errors", Json.write(compute.errors()))
                .bind("createdOn", compute.createdOn())
                .bind("modifiedOn", compute.modifiedOn())
                .bind("version", compute.version());
    }
}
