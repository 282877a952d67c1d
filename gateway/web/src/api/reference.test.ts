import { describe, expect, it } from 'vitest';
import type { Org, Region } from './client';
import { leadOrgGroups, regionTree } from './reference';

const regions: Region[] = [
  { code: '230102', name: '道里区', level: 'COUNTY', parentCode: '230100' },
  { code: '230000', name: '黑龙江省', level: 'PROVINCE' },
  { code: '231000', name: '牡丹江市', level: 'CITY', parentCode: '230000' },
  { code: '230100', name: '哈尔滨市', level: 'CITY', parentCode: '230000' },
  { code: '230103', name: '南岗区', level: 'COUNTY', parentCode: '230100' },
];

describe('the region tree', () => {
  it('nests each region under its parent, in code order', () => {
    expect(regionTree(regions)).toEqual([
      {
        value: '230000', label: '黑龙江省', children: [
          { value: '230100', label: '哈尔滨市', children: [
            { value: '230102', label: '道里区' }, { value: '230103', label: '南岗区' }] },
          { value: '231000', label: '牡丹江市' },
        ],
      },
    ]);
  });

  it('starts at the top of a scope whose parent is not listed', () => {
    const harbin = regions.filter((r) => r.code?.startsWith('2301'));
    const tree = regionTree(harbin);
    expect(tree.map((n) => n.value)).toEqual(['230100']);
    expect(tree[0].children?.map((n) => n.value)).toEqual(['230102', '230103']);
    expect(regionTree([])).toEqual([]);
  });
});

describe('the lead orgs', () => {
  it('are the departments, then the governments, each in id order', () => {
    const orgs: Org[] = [
      { id: 'gov-230100', name: '哈尔滨市人民政府', kind: 'GOVERNMENT' },
      { id: 'hlj-water', name: '黑龙江省水利厅', kind: 'DEPARTMENT' },
      { id: 'hlj-office', name: '办公室', kind: 'OFFICE' },
      { id: 'hlj-agri', name: '黑龙江省农业农村厅', kind: 'DEPARTMENT' },
      { id: 'hlj-discipline', name: '纪委监委', kind: 'DISCIPLINE' },
    ];
    expect(leadOrgGroups(orgs)).toEqual([
      { kind: 'DEPARTMENT', orgs: [
        { value: 'hlj-agri', label: '黑龙江省农业农村厅' }, { value: 'hlj-water', label: '黑龙江省水利厅' }] },
      { kind: 'GOVERNMENT', orgs: [{ value: 'gov-230100', label: '哈尔滨市人民政府' }] },
    ]);
    expect(leadOrgGroups([])).toEqual([]);
  });
});
