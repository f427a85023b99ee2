// name: meetings_timeline
// question: A timeline of meetings: date, convener, host, place, number of participants and sources.
// params: since (string, default "") - only meetings dated on or after this ISO date prefix; empty for all
MATCH (m:Meeting)
WHERE $since = '' OR coalesce(m.date, '') >= $since
OPTIONAL MATCH (m)-[:CONVENED_BY]->(c:Entity)
OPTIONAL MATCH (m)-[:HOSTED_BY]->(h:Entity)
OPTIONAL MATCH (m)-[:HELD_IN]->(pl:Entity)
OPTIONAL MATCH (p:Entity)-[:PARTICIPATED_IN]->(m)
WITH m, c, h, pl, count(DISTINCT p) AS n_participants
RETURN coalesce(m.date, '') AS date, m.name AS meeting, m.id AS meeting_id,
       coalesce(c.name, '') AS convened_by, coalesce(h.name, '') AS hosted_by,
       coalesce(pl.name, '') AS held_in, n_participants, m.articles AS articles
ORDER BY CASE WHEN date = '' THEN 1 ELSE 0 END, date, meeting, meeting_id, convened_by, hosted_by, held_in
