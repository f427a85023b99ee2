// name: entity_facts
// question: Everything stated about an entity, one row per fact and source (article, sentence, span, rule).
// params: entity (entity) - the entity's name, one of its aliases, or its id (e.g. بدر المنيخ)
MATCH (e:Entity)
WHERE e.id = $entity OR e.name = $entity OR $entity IN coalesce(e.aliases, []) OR $entity_key IN coalesce(e.search_keys, [])
MATCH (e)-[r]-(o:Entity)
WITH e, r, o, startNode(r) = e AS outgoing
UNWIND range(0, size(coalesce(r.articles, [])) - 1) AS i
RETURN e.name AS entity,
       CASE WHEN outgoing THEN 'out' ELSE 'in' END AS direction,
       type(r) AS predicate, coalesce(r.role, '') AS role, o.name AS other, o.id AS other_id,
       r.articles[i] AS article, r.starts[i] AS start, r.ends[i] AS end, r.rules[i] AS rule,
       r.confidences[i] AS confidence, r.sentences[i] AS sentence
ORDER BY predicate, direction, other, article, start, rule
