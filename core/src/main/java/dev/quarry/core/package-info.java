/**
 * Quarry's domain: concept graph, difficulty, selection, seeds and run configuration. No Temporal
 * here.
 */
package dev.quarry.core;
