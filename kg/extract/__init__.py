"""Stage 2: one article in, its entities and triples (with provenance) out.

Extraction runs as named phases over one article, each a module of this package:

1. ``annotate``: each sentence read once (gazetteer names and adjectives, documents, resolutions, meetings,
   organisations by head noun, dates, the name recogniser's spans) and the article's home state;
2. ``names``: the persons: title chains, the recogniser's names, speakers, surnames;
3. ``coreference``: article-level clusters (a surname to the full name, «الجلسة» to the session last
   named, «الإعلان» to the declaration, «التنظيم» to the armed group);
4. ``discourse``: the sentences in order with the state a reader keeps (who is speaking, which meeting is
   current, whether a quotation is open);
5. rules: the data rules of ``kg/data/rules`` run by ``kg.rules``, and the few in ``python_rules`` that
   need discourse state. ``ArticleExtractor.add`` records the best rule per triple.

Every rule is keyed on roles of the lexicon (``kg/data/patterns/lexicon.json``), never on a particular
sentence.
"""

from kg.extract.discourse import Ctx
from kg.extract.extractor import ArticleExtractor, extract

__all__ = ["ArticleExtractor", "Ctx", "extract"]
