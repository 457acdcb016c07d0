import { LocalRuntime, localClientConfig } from '../local/runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
(async () => {
  const rt = await LocalRuntime.start({ projectDir: '/work/main', synth: 'never' });
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(rt.endpointUrl)));
  const T = rt.tableName();
  const Key = { pk: 'X', sk: 'Y' };
  await doc.send(new PutCommand({ TableName: T, Item: { ...Key, version: 1, holders: {} } }));
  for (let round = 0; round < 5; round++) {
    const cur = (await doc.send(new GetCommand({ TableName: T, Key, ConsistentRead: true }))).Item!;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => doc.send(new PutCommand({ TableName: T, Item: { ...Key, version: cur.version + 1, holders: { ['h' + i]: 1 } }, ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': cur.version } }))));
    console.log('round', round, 'successes', results.filter((r) => r.status === 'fulfilled').length);
  }
  await rt.stop(); process.exit(0);
})();
