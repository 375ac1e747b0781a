// The Markdown report as posted on a pull request: hostile directory values render literally, and a
// huge plan is summarised with counts to stay under GitHub's 65,536-character comment limit.
import { renderMarkdown, GITHUB_COMMENT_LIMIT, REPORT_MARKER } from '../../cli/report/render-markdown';
import { buildAppReport } from '../../cli/report/build-report';
import { assembleReport, countApp, type AppReport } from '../../cli/report/report-model';
import { mdCode, mdText } from '../../cli/report/markdown-text';

function bigApp(name: string, users: number): AppReport {
  const a = buildAppReport(name, { format_version: '1.2' });
  a.managedUsers = users;
  a.users.update = Array.from({ length: users }, (_, i) => ({
    address: `scim_user.user_${i}`,
    userName: `person.number.${i}@example.com`,
    changes: [
      { path: 'title', before: { value: 'Engineer' }, after: { value: 'Senior Engineer' } },
      { path: 'department', before: { value: 'R&D' }, after: { value: 'Platform' } },
    ],
  }));
  return { ...a, counts: countApp(a) };
}

describe('markdown report', () => {
  test('a plan touching 20,000 users stays under the comment limit and keeps every count', () => {
    const report = assembleReport([bigApp('proxy', 12_000), bigApp('promapp', 8_000), bigApp('proxyclick', 3)]);
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith(REPORT_MARKER)).toBe(true);
    expect(md).toContain('| proxy | 0 | 0 | 12000 |');
    expect(md).toContain('| promapp | 0 | 0 | 8000 |');
    expect(md).toContain('| **Total** | **0** | **0** | **20003** |');
    // The small app keeps its full detail; the big ones are summarised.
    expect(md).toContain('`title: "Engineer" → "Senior Engineer"`');
    expect(md).toContain('Details left out to fit the comment limit: 12000 update');
    expect(md).toContain('summarised to fit the comment limit');
    // Every <details> is closed.
    expect(md.match(/<details/g)!.length).toBe(md.match(/<\/details>/g)!.length);
  });

  test('directory values cannot inject HTML, mentions, links or break tables', () => {
    const a = buildAppReport('generic', { format_version: '1.2' });
    a.users.create = [{ address: 'scim_user.x', userName: '<img src=x onerror=alert(1)>@here `|` [x](http://evil)', changes: [] }];
    a.users.update = [
      { address: 'scim_user.y', userName: 'y', changes: [{ path: 'title', before: { value: '</details>' }, after: { sensitive: true } }] },
    ];
    const md = renderMarkdown(assembleReport([{ ...a, counts: countApp(a) }]));
    expect(md).toContain('- ``<img src=x onerror=alert(1)>@here `\\|` [x](http://evil)``');
    expect(md).toContain('`title: (sensitive value changed)`');
    expect(md).not.toContain('</details>`');
    expect(mdText('<b>@team</b> *x*')).toBe('&lt;b&gt;&#64;team&lt;/b&gt; \\*x\\*');
    expect(mdCode('a`b')).toBe('``a`b``');
  });

  test('apps without changes are listed in one line; an app that failed shows its error', () => {
    const ok = buildAppReport('promapp', { format_version: '1.2' });
    const failed = { ...buildAppReport('proxy', { format_version: '1.2' }), error: 'Error: unauthorized (401) at https://proxy.example/scim' };
    const md = renderMarkdown(assembleReport([ok, failed]));
    expect(md).toContain('No changes: `promapp`.');
    expect(md).toContain('⚠️ <strong>proxy</strong>: plan failed');
    expect(md).toContain('Error: unauthorized (401)');
  });
});
