import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_ACTIONS } from '../../infra/constructs/sip-function.ts';
import { SipStack } from '../../infra/sip-stack.ts';
import { retryDelaySeconds } from '../../shared/reminders/retry.ts';
import {
  actionsOf,
  newApp,
  onlyLogicalId,
  planTableId,
  REGION,
  roleStatements,
  type Statement,
} from './synth.ts';

let template: Template;
let ids: {
  key: string;
  table: string;
  check: string;
  checkRole: string;
  notify: string;
  notifyRole: string;
  schedule: string;
  queue: string;
};

beforeAll(() => {
  // Synthesising bundles the functions with esbuild, so it happens once for the whole file.
  const stack = new SipStack(newApp(), 'SipStack', { env: { region: REGION } });
  template = Template.fromStack(stack);
  const functionNamed = (name: string) => {
    const found = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) =>
      id.includes(name),
    );
    expect(found, name).toHaveLength(1);
    return found[0] as string;
  };
  const check = functionNamed('DeadlineCheckFunction');
  const notify = functionNamed('NotifyFunction');
  const roleOf = (id: string) => resource(id).Properties.Role['Fn::GetAtt'][0];
  // The reminder queue is the one the notify function consumes.
  const mapping = new Capture();
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: notify },
    EventSourceArn: { 'Fn::GetAtt': [mapping, 'Arn'] },
  });
  ids = {
    key: onlyLogicalId(template, 'AWS::KMS::Key'),
    table: planTableId(template),
    check,
    checkRole: roleOf(check),
    notify,
    notifyRole: roleOf(notify),
    schedule: deadlineCheckSchedule(),
    queue: mapping.asString(),
  };
}, 120_000);

const resource = (logicalId: string) => template.toJSON().Resources[logicalId];
/** The check's schedule fires every 15 minutes (the monthly report export has its own). */
const EVERY_QUARTER_HOUR = 'cron(0/15 * * * ? *)';
function deadlineCheckSchedule(): string {
  const found = Object.entries(template.findResources('AWS::Scheduler::Schedule')).filter(
    ([, schedule]) => schedule.Properties.ScheduleExpression === EVERY_QUARTER_HOUR,
  );
  expect(found).toHaveLength(1);
  return found[0]?.[0] as string;
}
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const keyArn = () => arnOf(ids.key);
const queueIds = () => Object.keys(template.findResources('AWS::SQS::Queue'));
/** The logical id behind `{ 'Fn::GetAtt': [id, 'Arn'] }`. */
const targetOf = (arn: { 'Fn::GetAtt': [string, string] }) => arn['Fn::GetAtt'][0];

/** Every queue something gives up into: SQS's redrive, the schedule's DLQ, the check's failure destination. */
function deadLetterQueueIds(): string[] {
  const redrives = Object.values(template.findResources('AWS::SQS::Queue'))
    .map((queue) => queue.Properties.RedrivePolicy?.deadLetterTargetArn)
    .filter(Boolean);
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
    (schedule) => schedule.Properties.Target.DeadLetterConfig?.Arn,
  );
  const destinations = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).map(
    (config) => config.Properties.DestinationConfig?.OnFailure?.Destination,
  );
  return [...new Set([...redrives, ...schedules, ...destinations].map(targetOf))].sort();
}

describe('the deadline check schedule', () => {
  it('fires every 15 minutes, on the quarter hours of Stockholm time, without a flexible window', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0/15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Stockholm',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
  });

  it('invokes the deadline check function', () => {
    expect(resource(ids.schedule).Properties.Target.Arn).toEqual(arnOf(ids.check));
  });

  it('retries a failed invocation 3 times for at most 15 minutes, then puts it in an encrypted DLQ', () => {
    const deadLetters = new Capture();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetters, 'Arn'] } },
      },
    });
    expect(resource(deadLetters.asString())).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { KmsMasterKeyId: keyArn() },
    });
    expect(deadLetters.asString()).not.toBe(ids.queue);
  });

  it('runs as a role only EventBridge Scheduler of this account can assume', () => {
    const role = new Capture();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: EVERY_QUARTER_HOUR,
      Target: { RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } },
    });
    expect(resource(role.asString()).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': {
              'Fn::Join': [
                '',
                [`arn:aws:scheduler:${REGION}:`, { Ref: 'AWS::AccountId' }, ':schedule-group/default'],
              ],
            },
          },
        },
      },
    ]);
  });

  it('may invoke only the check function, send only to its DLQ, and use the key that DLQ needs', () => {
    const role = new Capture();
    const deadLetters = new Capture();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: EVERY_QUARTER_HOUR,
      Target: {
        RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetters, 'Arn'] } },
      },
    });
    const byAction = (prefix: string) =>
      roleStatements(template, role.asString()).filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));
    expect(byAction('lambda:')).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [arnOf(ids.check), { 'Fn::Join': ['', [arnOf(ids.check), ':*']] }],
      },
    ]);
    expect(byAction('sqs:')).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(deadLetters.asString()) },
    ]);
    expect(byAction('kms:')).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyArn() },
    ]);
    expect(roleStatements(template, role.asString())).toHaveLength(3);
  });

  it('is created only after its role may do all that', () => {
    const role = new Capture();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: EVERY_QUARTER_HOUR,
      Target: { RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } },
    });
    const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([, p]) =>
      (p.Properties.Roles as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: role.asString() }),
      ),
    );
    expect(policy).toBeDefined();
    template.hasResource('AWS::Scheduler::Schedule', {
      Properties: Match.objectLike({ ScheduleExpression: EVERY_QUARTER_HOUR }),
      DependsOn: Match.arrayWith([policy?.[0]]),
    });
  });
});

describe('the deadline check function', () => {
  it('may run for 5 minutes', () => {
    expect(resource(ids.check).Properties.Timeout).toBe(300);
  });

  it('is told the table and the reminder queue', () => {
    expect(resource(ids.check).Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: ids.table },
      REMINDER_QUEUE_URL: { Ref: ids.queue },
    });
  });

  it('retries a failed run twice, then sends the event to an encrypted DLQ that is not the reminder queue', () => {
    const destination = new Capture();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.check },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [destination, 'Arn'] } } },
    });
    expect(destination.asString()).not.toBe(ids.queue);
    expect(resource(destination.asString()).Properties.KmsMasterKeyId).toEqual(keyArn());
  });

  it('may only send to the reminder queue and its failure queue, with the key they are encrypted with', () => {
    const statements = roleStatements(template, ids.checkRole);
    const sqs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqs).toHaveLength(1);
    expect(sqs[0]?.Action).toBe('sqs:SendMessage');
    expect(sqs[0]?.Resource).toEqual(expect.arrayContaining([arnOf(ids.queue)]));
    expect(sqs[0]?.Resource).toHaveLength(2);
    // Named one by one: neither kms:GenerateDataKey* nor kms:ReEncrypt*.
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn() },
    ]);
  });

  it('may neither consume nor purge the reminder queue', () => {
    const actions = roleStatements(template, ids.checkRole).flatMap(actionsOf);
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sqs:*']) {
      expect(actions).not.toContain(action);
    }
  });

  it('may not send e-mail or SMS: delivering is the notify function’s job', () => {
    const actions = roleStatements(template, ids.checkRole).flatMap(actionsOf);
    expect(actions.filter((action) => /^(ses|sns|sms-voice):/.test(action))).toEqual([]);
  });
});

describe('the reminder queue', () => {
  it('is encrypted with the data key', () => {
    expect(resource(ids.queue).Properties.KmsMasterKeyId).toEqual(keyArn());
  });

  it('tries a message for more than a day (an SES or SNS outage) before its DLQ, and keeps it 14 days', () => {
    const { deadLetterTargetArn, maxReceiveCount } = resource(ids.queue).Properties.RedrivePolicy;
    expect(maxReceiveCount).toBe(10);
    // The notify function's back-off between receives: 15 min doubling, at most 6 h.
    const waits = Array.from({ length: maxReceiveCount - 1 }, (_, n) => retryDelaySeconds(n + 1));
    expect(waits).toEqual([900, 1800, 3600, 7200, 14_400, 21_600, 21_600, 21_600, 21_600]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600);
    // Every wait fits SQS's longest visibility timeout (12 h).
    expect(Math.max(...waits)).toBeLessThanOrEqual(12 * 3600);
    expect(resource(ids.queue).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const deadLetters = targetOf(deadLetterTargetArn);
    expect(deadLetters).not.toBe(ids.queue);
    expect(resource(deadLetters)).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { KmsMasterKeyId: keyArn() },
    });
  });

  it('hides a message in flight for at least six times the notify function’s timeout', () => {
    const visibility = resource(ids.queue).Properties.VisibilityTimeout as number;
    const notifyTimeout = resource(ids.notify).Properties.Timeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * notifyTimeout);
  });

  it('is not a DLQ itself, and a DLQ redrives nowhere', () => {
    expect(deadLetterQueueIds()).not.toContain(ids.queue);
    for (const id of deadLetterQueueIds()) {
      expect(resource(id).Properties.RedrivePolicy).toBeUndefined();
    }
  });
});

describe('the reminder dead-letter redrive', () => {
  it('moves the reminder DLQ back into the reminder queue every 6 hours, with retries and a DLQ of its own', () => {
    const redrive = Object.values(template.findResources('AWS::Scheduler::Schedule')).filter((schedule) =>
      JSON.stringify(schedule.Properties.Target.Arn).includes(
        ':scheduler:::aws-sdk:sqs:startMessageMoveTask',
      ),
    );
    expect(redrive).toHaveLength(1);
    // biome-ignore lint/suspicious/noExplicitAny: a CloudFormation resource's properties
    const { Properties } = redrive[0] as { Properties: Record<string, any> };
    expect(Properties.ScheduleExpression).toBe('rate(6 hours)');
    const deadLetters = targetOf(resource(ids.queue).Properties.RedrivePolicy.deadLetterTargetArn);
    expect(JSON.parse(JSON.stringify(Properties.Target.Input))).toEqual({
      'Fn::Join': [
        '',
        expect.arrayContaining([
          { 'Fn::GetAtt': [deadLetters, 'Arn'] },
          { 'Fn::GetAtt': [ids.queue, 'Arn'] },
        ]),
      ],
    });
    expect(Properties.Target.RetryPolicy.MaximumRetryAttempts).toBe(3);
    expect(deadLetterQueueIds()).toContain(targetOf(Properties.Target.DeadLetterConfig.Arn));
    const role = Properties.Target.RoleArn['Fn::GetAtt'][0];
    const statements = roleStatements(template, role);
    const grantedOn = (resource: unknown) =>
      statements
        .filter((st) => [st.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(resource)))
        .flatMap(actionsOf);
    expect(grantedOn(arnOf(deadLetters))).toEqual(
      expect.arrayContaining([
        'sqs:StartMessageMoveTask',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
      ]),
    );
    expect(grantedOn(arnOf(ids.queue))).toEqual(['sqs:SendMessage']);
  });
});

describe('every queue', () => {
  it('is encrypted with the data key', () => {
    // The pipeline's four, and the report export's two dead-letter queues.
    expect(queueIds()).toHaveLength(6);
    for (const id of queueIds()) {
      expect(resource(id).Properties.KmsMasterKeyId, id).toEqual(keyArn());
    }
  });

  it('refuses requests without TLS', () => {
    for (const id of queueIds()) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: arnOf(id),
            }),
          ]),
        },
      });
    }
  });
});

describe('the dead-letter queues', () => {
  it('are the reminder queue’s, the schedule’s and the check function’s, and every other queue', () => {
    // The pipeline's three, and the report export's two (its schedule's and its function's).
    expect(deadLetterQueueIds()).toHaveLength(5);
    expect(deadLetterQueueIds()).toEqual(
      queueIds()
        .filter((id) => id !== ids.queue)
        .sort(),
    );
  });

  it('keep their messages for 14 days, the longest SQS allows', () => {
    for (const id of deadLetterQueueIds()) {
      expect(resource(id).Properties.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
    }
  });

  it('alarm the operators’ topic', () => {
    const topic = onlyLogicalId(template, 'AWS::SNS::Topic');
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: topic }] });
  });

  it('have an alarm each, and no DLQ has two', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(deadLetterQueueIds().length);
    const watched = alarms.map((alarm) => {
      const dimensions = alarm.Properties.Dimensions as { Name: string; Value: unknown }[];
      expect(dimensions).toHaveLength(1);
      expect(dimensions[0]?.Name).toBe('QueueName');
      const value = dimensions[0]?.Value as { 'Fn::GetAtt': [string, string] };
      expect(value['Fn::GetAtt'][1]).toBe('QueueName');
      return value['Fn::GetAtt'][0];
    });
    expect(watched.sort()).toEqual(deadLetterQueueIds());
  });

  it('alarm as soon as one message is visible within 5 minutes, and stay quiet while nothing is reported', () => {
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('.+'),
    });
  });
});

describe('the notify function', () => {
  it('may run for 30 seconds', () => {
    expect(resource(ids.notify).Properties.Timeout).toBe(30);
  });

  it('is told the table, the sender address and the app’s URL, the last two from the stack parameters', () => {
    expect(resource(ids.notify).Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: ids.table },
      EMAIL_FROM: { Ref: 'EmailFrom' },
      APP_BASE_URL: { Ref: 'AppBaseUrl' },
    });
  });

  it('consumes the reminder queue ten messages at a time, reporting the failed ones alone', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.notify },
      EventSourceArn: arnOf(ids.queue),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(1);
  });

  it('may receive, delete and defer (change the visibility of) the reminder queue’s messages', () => {
    expect(roleStatements(template, ids.notifyRole)).toContainEqual({
      Effect: 'Allow',
      Action: expect.arrayContaining([
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:ChangeMessageVisibility',
      ]),
      Resource: arnOf(ids.queue),
    });
  });

  it('may send e-mail only as the sender’s SES identity (address or domain), and only from that address', () => {
    const ses = roleStatements(template, ids.notifyRole).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ses:')),
    );
    expect(ses).toHaveLength(1);
    const statement = ses[0] as Statement & { Condition?: unknown };
    expect(actionsOf(statement)).toEqual(['ses:SendEmail']);
    const identity = (name: unknown) => ({
      'Fn::Join': ['', [`arn:aws:ses:${REGION}:`, { Ref: 'AWS::AccountId' }, ':identity/', name]],
    });
    expect(statement.Resource).not.toBe('*');
    expect(statement.Resource).toEqual(
      expect.arrayContaining([
        identity({ Ref: 'EmailFrom' }),
        identity({ 'Fn::Select': [1, { 'Fn::Split': ['@', { Ref: 'EmailFrom' }] }] }),
      ]),
    );
    expect(statement.Resource).toHaveLength(2);
    expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': { Ref: 'EmailFrom' } } });
  });

  it('may publish SMS, on the wildcard SNS requires for phone numbers, held to the stack’s region', () => {
    expect(roleStatements(template, ids.notifyRole)).toContainEqual({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': REGION } },
    });
  });

  it('has no other wildcard resource than SNS’s and X-Ray’s, which cannot be scoped', () => {
    const wildcards = roleStatements(template, ids.notifyRole)
      .filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')))
      .flatMap(actionsOf);
    expect(wildcards.sort()).toEqual(['sns:Publish', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});

describe('both reminder functions', () => {
  it.each([
    ['deadline check', () => ids.checkRole, ['dueByTime']],
    ['notify', () => ids.notifyRole, []],
  ])(
    'the %s function may read and write the table with exactly the store’s actions, and never Scan',
    (_, role, indexes) => {
      const dynamo = roleStatements(template, role()).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(dynamo).toHaveLength(1);
      const actions = actionsOf(dynamo[0] as Statement);
      expect([...actions].sort()).toEqual([...TABLE_ACTIONS.readWrite].sort());
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions).not.toContain('dynamodb:*');
      // Only the index it queries, by name.
      const resources = [
        arnOf(ids.table),
        ...indexes.map((index) => ({ 'Fn::Join': ['', [arnOf(ids.table), `/index/${index}`]] })),
      ];
      expect(dynamo[0]?.Resource).toEqual(resources.length === 1 ? resources[0] : resources);
    },
  );
});

describe('the stack parameters', () => {
  const pattern = (name: string) => {
    const parameter = template.toJSON().Parameters[name];
    expect(parameter).toMatchObject({ Type: 'String', Description: expect.stringMatching(/.+/) });
    return new RegExp(parameter.AllowedPattern);
  };

  it('take the sender as a bare e-mail address, which names its SES identity', () => {
    const emailFrom = pattern('EmailFrom');
    expect(emailFrom.test('no-reply@sip.example.se')).toBe(true);
    for (const bad of ['SIP <no-reply@sip.example.se>', 'no-reply', 'no-reply@', 'a@b@c.se', 'a b@c.se']) {
      expect(emailFrom.test(bad), bad).toBe(false);
    }
  });

  it('take the app’s base URL as https only, since the links carry case workers to plans', () => {
    const appBaseUrl = pattern('AppBaseUrl');
    expect(appBaseUrl.test('https://sip.example.se')).toBe(true);
    expect(appBaseUrl.test('http://sip.example.se')).toBe(false);
    expect(appBaseUrl.test('sip.example.se')).toBe(false);
  });

  it('keep the JWT issuer and audience', () => {
    expect(Object.keys(template.toJSON().Parameters)).toEqual(
      expect.arrayContaining(['JwtIssuer', 'JwtAudience', 'EmailFrom', 'AppBaseUrl']),
    );
  });
});
