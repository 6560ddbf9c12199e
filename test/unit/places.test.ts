import { describe, expect, it } from 'vitest';
import { placeNumbers, placesConflict } from '../../core/places.ts';

describe('place numbers', () => {
  it('reads km, RT/RW, alleys and blocks however they are written', () => {
    expect(placeNumbers('Jalan Kaliurang km 5 rusak')).toEqual(['km:5']);
    expect(placeNumbers('Jl Kaliurang KM.12 rusak')).toEqual(['km:12']);
    expect(placeNumbers('Lampu mati di RT 03 RW 05 Kel. Wirobrajan')).toEqual(['rt:3', 'rw:5']);
    expect(placeNumbers('rt.3/rw.05')).toEqual(['rt:3', 'rw:5']);
    expect(placeNumbers('RT003 RW 005')).toEqual(['rt:3', 'rw:5']);
    expect(placeNumbers('Perumahan Griya Asri blok 7, gang 4')).toEqual(['blok:7', 'gg:4']);
  });

  it('ignores numbers that name no problem place: durations, amounts, phone and house numbers', () => {
    expect(placeNumbers('sudah 3 hari, tagihan 250 ribu')).toEqual([]);
    expect(placeNumbers('no hp 081234567890, jalan rusak')).toEqual([]);
    // neighbours reporting one blocked drain each give their own house number
    expect(placeNumbers('saluran depan rumah saya Jl. Mawar no. 17 mampet')).toEqual([]);
  });

  it('two texts conflict only when both number the same kind of place differently', () => {
    expect(placesConflict(['km:5'], ['km:12'])).toBe(true);
    expect(placesConflict(['rt:3', 'rw:5'], ['rt:3'])).toBe(false);
    expect(placesConflict(['rt:3'], ['rw:3'])).toBe(false);
    expect(placesConflict([], ['km:5'])).toBe(false);
    expect(placesConflict(['rt:3', 'rw:5'], ['rt:3', 'rw:6'])).toBe(true);
  });
});
