// name: most_connected
// question: Which entities take part in the most stated facts (degree, article links not counted)?
// params: limit (int, default 10) - how many entities to return
MATCH (e:Entity)
OPTIONAL MATCH (e)-[r]-(:Entity)
WITH e, count(r) AS degree, count(DISTINCT type(r)) AS n_predicates
WHERE degree > 0
RETURN e.name AS entity, e.id AS entity_id, e.type AS type, degree, n_predicates,
       size(coalesce(e.articles, [])) AS n_articles
ORDER BY degree DESC, entity, entity_id
LIMIT $limit
