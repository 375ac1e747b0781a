// The generated provider documentation: every attribute is described, every resource and data source has an
// example, and docs/ matches what `npm run docs` would write now (stale docs fail the suite).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createScimProvider } from '../../providers/scim/provider';
import type { ProviderDefinition } from '../../providers/scim/plugin/provider-definition';
import {
  DocsGenerationError,
  EXAMPLES_DIR,
  missingDescriptions,
  renderDocs,
  shortName,
  staleDocs,
} from '../../scripts/gen-docs';

const provider = createScimProvider() as unknown as ProviderDefinition<unknown>;

describe('generated provider docs', () => {
  it('has a non-empty description on every attribute of the provider, resources and data sources', () => {
    expect(missingDescriptions(provider)).toEqual([]);
  });

  it('refuses to generate docs when an attribute has an empty description, naming it', () => {
    const broken: ProviderDefinition<unknown> = {
      ...provider,
      dataSources: [
        ...provider.dataSources,
        {
          name: 'scim_broken',
          schema: { version: 0, block: { description: 'Broken.', attributes: { filter: { type: 'string', optional: true, description: ' ' } } } },
          read: async () => ({ state: {} }),
        },
      ],
    };
    expect(() => renderDocs(broken)).toThrow(DocsGenerationError);
    expect(() => renderDocs(broken)).toThrow(/data source scim_broken: filter/);
  });

  it('docs/ is up to date (run `npm run docs` after changing a schema or an example)', () => {
    const problems = staleDocs(renderDocs(provider));
    if (problems.length) throw new Error(`docs/ is stale; run \`npm run docs\` and commit the result:\n- ${problems.join('\n- ')}`);
  });

  it('lays out one page per resource and data source, as Terraform registries expect', () => {
    const files = [...renderDocs(provider).keys()].sort();
    expect(files).toContain('index.md');
    for (const r of provider.resources) expect(files).toContain(`resources/${shortName(r.name, 'scim')}.md`);
    for (const d of provider.dataSources) expect(files).toContain(`data-sources/${shortName(d.name, 'scim')}.md`);
    expect(files).toEqual(
      expect.arrayContaining(['resources/group.md', 'resources/group_member.md', 'data-sources/service_provider_config.md', 'data-sources/users.md']),
    );
  });

  it('has an HCL example for the provider, every resource (with import) and every data source', () => {
    const missing: string[] = [];
    const need = (rel: string) => fs.existsSync(path.join(EXAMPLES_DIR, rel)) || missing.push(`examples/${rel}`);
    need('provider/provider.tf');
    for (const r of provider.resources) {
      need(`resources/${r.name}/resource.tf`);
      if (r.import) need(`resources/${r.name}/import.sh`);
    }
    for (const d of provider.dataSources) need(`data-sources/${d.name}/data-source.tf`);
    expect(missing).toEqual([]);
  });

  it('group pages carry the behaviour users must know: adoption, membership conflict, import forms', () => {
    const docs = renderDocs(provider);
    const group = docs.get('resources/group.md')!;
    expect(group).toMatch(/adopts/);
    expect(group).toMatch(/display_name=Engineering/);
    expect(group).toMatch(/- `members` \(Set of String\)/);
    expect(group).toMatch(/### Read-Only[\s\S]*- `existing_id` \(String\)/);
    expect(docs.get('resources/group_member.md')).toMatch(/Do not mix/);
    const index = docs.get('index.md')!;
    expect(index).toMatch(/\| `proxyclick` \| Proxyclick \| bearer \| no \|/);
    expect(index).toMatch(/- `token` \(String, Sensitive\)/);
  });

  it('examples are formatted HCL (terraform fmt -check)', () => {
    try {
      execFileSync('terraform', ['fmt', '-check', '-recursive', EXAMPLES_DIR], { stdio: 'pipe', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
    } catch (e) {
      const out = (e as { stdout?: Buffer }).stdout?.toString() ?? String(e);
      throw new Error(`terraform fmt would change these examples (run terraform fmt -recursive examples):\n${out}`);
    }
  });
});
