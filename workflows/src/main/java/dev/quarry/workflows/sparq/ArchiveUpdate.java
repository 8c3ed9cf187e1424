package dev.quarry.workflows.sparq;

/**
 * What a round did to the archive.
 *
 * @param offered problems of positive quality offered for insertion
 * @param archiveFile the archive snapshot after the round (JSON), for people and the next round
 */
public record ArchiveUpdate(
    int offered, int added, int replaced, int rejected, int size, int niches, String archiveFile) {}
