// name: co_participation
// question: Who met whom? Pairs of actors that took part in the same meeting, with the shared meetings.
// params: actor (entity, default "") - only pairs including this actor (name, alias or id); empty for all pairs
MATCH (a:Entity)-[:PARTICIPATED_IN]->(m:Meeting)<-[:PARTICIPATED_IN]-(b:Entity)
WHERE a.id < b.id
  AND ($actor = '' OR $actor IN [a.id, a.name, b.id, b.name] + coalesce(a.aliases, []) + coalesce(b.aliases, [])
       OR $actor_key IN coalesce(a.search_keys, []) + coalesce(b.search_keys, []))
WITH a, b, m ORDER BY m.name
WITH a, b, collect(m.name) AS meetings
RETURN a.name AS actor_a, b.name AS actor_b, size(meetings) AS n_meetings, meetings
ORDER BY n_meetings DESC, actor_a, actor_b
