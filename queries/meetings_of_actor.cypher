// name: meetings_of_actor
// question: Which meetings did an actor take part in, when, and convened or hosted by whom?
// params: actor (entity) - the actor's name, one of its aliases, or its id (e.g. فلاديمير فورونكوف)
MATCH (a:Entity)
WHERE a.id = $actor OR a.name = $actor OR $actor IN coalesce(a.aliases, []) OR $actor_key IN coalesce(a.search_keys, [])
MATCH (a)-[p:PARTICIPATED_IN]->(m:Meeting)
OPTIONAL MATCH (m)-[:CONVENED_BY]->(c:Entity)
WITH a, p, m, c ORDER BY c.name
WITH a, p, m, [x IN collect(DISTINCT c.name) WHERE x IS NOT NULL] AS convened_by
OPTIONAL MATCH (m)-[:HOSTED_BY]->(h:Entity)
WITH a, p, m, convened_by, h ORDER BY h.name
WITH a, p, m, convened_by, [x IN collect(DISTINCT h.name) WHERE x IS NOT NULL] AS hosted_by
RETURN a.name AS actor, m.name AS meeting, coalesce(m.date, '') AS date, convened_by, hosted_by,
       p.articles AS articles
ORDER BY date, meeting
