package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An ARM list page: {@code {"value":[...], "nextLink": "..."}}. {@code nextLink} is omitted on the last page, never
 * {@code null}: azureml-core follows the key whenever it is present.
 */
public record PagedList<T>(List<T> value, @JsonInclude(JsonInclude.Include.NON_NULL) String nextLink) {
}
