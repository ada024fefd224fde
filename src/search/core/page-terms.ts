import type { IndexAnalyzer } from '../text/analyzer.js';
import type { Page, Section } from '../types.js';
import type { FieldTerms } from './kb-index.js';

/** Folder names of a page path: `a/b/c.md` → `a b`. They tell which product or topic a page is about. */
export function folderContext(path: string): string {
  const parts = path.split('/');
  parts.pop();
  return parts.join(' ');
}

/**
 * Makes the analyzer function of {@link KbIndex.addPage}: each section gets its page title,
 * its heading, its context (folders plus the headings above it) and its body.
 */
export function sectionTermsWith(analyzer: IndexAnalyzer): (section: Section, page: Page) => FieldTerms {
  let lastPage: Page | undefined;
  let title: string[] = [];
  let folders: string[] = [];
  return (section, page) => {
    if (page !== lastPage) {
      lastPage = page;
      title = analyzer.terms(page.title);
      folders = analyzer.terms(folderContext(page.path));
    }
    // A heading that repeats the page title (the usual `# Title`) is already the title field:
    // counting it again would favour the lead section and pages that have such a heading.
    const above = section.path
      .slice(0, -1)
      .filter((h) => h !== page.title)
      .join(' ');
    const context = above ? folders.concat(analyzer.terms(above)) : folders;
    const heading = section.heading === page.title ? [] : analyzer.terms(section.heading);
    return [title, heading, context, analyzer.terms(section.text)];
  };
}
