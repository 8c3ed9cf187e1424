/**
 * SPARQ (Synthetic Problem Generation for Reasoning via Quality-Diversity Algorithms): solve rate,
 * quality, skill niches, the quality-diversity archive, parent selection and the final quality /
 * diversity filters. Pure domain logic; the workflows in {@code dev.quarry.workflows.sparq} drive
 * it.
 */
package dev.quarry.core.sparq;
