package org.synthweave.ingest.crawl;

import java.io.Serializable;

/**
 * Title and main text of a page as extracted, before normalization.
 *
 * @param title the page title, or null when the page has none
 * @param text main text, blocks separated by newlines (a blank line between paragraphs)
 */
public record ExtractedDocument(String title, String text) implements Serializable {
  private static final long serialVersionUID = 1L;

  public ExtractedDocument {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
  }
}
