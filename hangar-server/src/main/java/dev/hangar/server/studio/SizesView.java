package dev.hangar.server.studio;

import dev.hangar.core.size.VmSize;
import java.util.List;

/** The VM size catalog by family and name, and what was just done (else null). */
public record SizesView(Chrome chrome, List<VmSize> sizes, String done) {

    /** The path a size's delete is posted to. */
    public String delete(VmSize size) {
        return SizePages.PATH + "/" + size.name() + "/delete";
    }
}
