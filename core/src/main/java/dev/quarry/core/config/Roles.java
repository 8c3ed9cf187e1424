package dev.quarry.core.config;

/** The model roles a round uses. Each may point at a different endpoint and model. */
public record Roles(RoleConfig generator, RoleConfig testWriter, RoleConfig solver) {}
