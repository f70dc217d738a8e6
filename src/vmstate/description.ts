/**
 * A state description: QEMU's VMStateDescription as a declaration over a plain state object.
 * One interpreter (`save.ts`, `load.ts`) saves and loads every description.
 *
 * Evolving a description (STYLE principle 2): add new state as a subsection with `needed()`;
 * use a per-field `since` version rarely (it bumps `version`); replace a removed field by
 * `f.unused(bytes)`. A nested struct is loaded at its own current version (as in QEMU, its
 * version is not on the wire), so a nested description evolves through subsections only.
 */
import { isWireName } from './ascii.ts';
import { fieldBuilder, type Field, type FieldBuilder } from './fields.ts';

/** A refusal from `postLoad`: the state is valid bytes but not something this machine can hold. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** Optional state sent only when `needed` says so (QEMU subsection); its name is "<parent>/<child>". */
export interface Subsection<S> {
  readonly description: Description<S>;
  readonly needed: (state: S) => boolean;
}

export interface Description<S> {
  readonly name: string;
  readonly version: number;
  /** Oldest stream version this build still loads. */
  readonly minimumVersion: number;
  readonly fields: readonly Field<S>[];
  readonly subsections: readonly Subsection<S>[];
  /** Runs before saving (derive wire fields from live state). */
  readonly preSave: ((state: S) => void) | undefined;
  /** Runs after this description's fields and subsections loaded; returns an error to refuse the state. */
  readonly postLoad: ((state: S, version: number) => FieldError | undefined) | undefined;
}

export interface DescriptionSpec<S> {
  readonly name: string;
  readonly version: number;
  readonly minimumVersion?: number;
  readonly fields: (f: FieldBuilder<S>) => Field<S>[];
  readonly subsections?: readonly Subsection<S>[];
  readonly preSave?: (state: S) => void;
  readonly postLoad?: (state: S, version: number) => FieldError | undefined;
}

/**
 * Builds and checks a description. Throws on a malformed declaration (a bug, found at module
 * load): names that do not fit the wire, versions out of order, duplicate keys.
 */
export function describe<S>(spec: DescriptionSpec<S>): Description<S> {
  const { name, version } = spec;
  const minimumVersion = spec.minimumVersion ?? version;
  const bad = (why: string): never => {
    throw new Error(`description ${name}: ${why}`);
  };
  if (!isWireName(name)) bad('name must be 1..127 printable ASCII characters');
  if (!Number.isInteger(version) || version < 0 || version > 0x7fffffff) bad(`bad version ${version}`);
  if (!Number.isInteger(minimumVersion) || minimumVersion < 0 || minimumVersion > version)
    bad(`minimumVersion ${minimumVersion} must be in [0, ${version}]`);
  const fields = spec.fields(fieldBuilder<S>());
  const keys = new Set<string>();
  for (const f of fields) {
    if (f.since > version) bad(`field ${f.key} since ${f.since} is newer than version ${version}`);
    if (f.kind !== 'unused') {
      if (keys.has(f.key)) bad(`field ${f.key} listed twice`);
      keys.add(f.key);
    }
  }
  const subsections = spec.subsections ?? [];
  const subNames = new Set<string>();
  for (const s of subsections) {
    const sub = s.description.name;
    if (!sub.startsWith(`${name}/`)) bad(`subsection ${sub} must be named "${name}/..."`);
    if (subNames.has(sub)) bad(`subsection ${sub} listed twice`);
    subNames.add(sub);
  }
  return {
    name,
    version,
    minimumVersion,
    fields,
    subsections,
    preSave: spec.preSave,
    postLoad: spec.postLoad,
  };
}

/** Whether `field` is on the wire for `state` at `version`. */
export function fieldPresent<S>(field: Field<S>, state: S, version: number): boolean {
  return version >= field.since && (field.exists === undefined || field.exists(state, version));
}
