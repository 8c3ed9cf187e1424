package dev.quarry.workers.cli.report;

/** The report's entry point: a run's summary or progress in, one self-contained HTML page out. */
public final class RunReport {
  private RunReport() {}

  /**
   * @param status what the run is doing ("completed", "running")
   * @param summaryOrProgress the run's RunSummary (completed) or RunProgress (running)
   */
  public static String html(String runId, String status, Object summaryOrProgress) {
    return ReportPage.render(ReportData.of(runId, status, summaryOrProgress));
  }
}
