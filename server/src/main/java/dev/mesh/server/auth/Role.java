package dev.mesh.server.auth;

import java.util.Locale;

/** What a principal may do in a domain, each role including the ones before it. */
public enum Role {
    /** Validates, plans, runs and cancels the domain's products, and reads their runs, metrics and data. */
    MEMBER,
    /** A member who also decides the domain's access requests. */
    OWNER,
    /** The platform team: every domain, every role. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (any case), or an error listing the roles. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.label().equals(text.toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw dev.mesh.error.MeshException.invalidInput("'%s' is not a role; roles: member, owner, admin", text);
    }
}
