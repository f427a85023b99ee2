// name: meetings_hosted
// question: Which meetings did X host, when, and who took part in them?
// params: host (entity) - the host's name, one of its aliases, or its id (e.g. الكويت)
MATCH (h:Entity)
WHERE h.id = $host OR h.name = $host OR $host IN coalesce(h.aliases, []) OR $host_key IN coalesce(h.search_keys, [])
MATCH (m:Meeting)-[:HOSTED_BY]->(h)
OPTIONAL MATCH (p:Entity)-[:PARTICIPATED_IN]->(m)
WITH h, m, p ORDER BY p.name
WITH h, m, [x IN collect(p.name) WHERE x IS NOT NULL] AS participants
RETURN m.name AS meeting, m.id AS meeting_id, coalesce(m.date, '') AS date, h.name AS host,
       participants, size(participants) AS n_participants, m.articles AS articles
ORDER BY date, meeting, meeting_id
