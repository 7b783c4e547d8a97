import { describe, expect, it } from 'vitest';
import { ask, Dataset, executePlan, type QueryPlan, toSQL } from '../../src/index.js';
import { extractNumber } from '../../src/query/execute.js';
import { tokenize } from '../../src/query/tokenize.js';

/** First column of an answer, as a list. */
function firstCol(ds: Dataset, q: string): unknown[] {
  const r = ask(ds, q).result;
  const c = r.columnNames[0] as string;
  return Array.from({ length: r.nrows }, (_, i) => r.get(i, c));
}

describe('numbers written as text with units', () => {
  const trails = Dataset.from({
    trail: ['Oak Loop', 'Ridge Path', 'Creek Walk', 'Summit Way'],
    length: ['2 miles', '12.5 miles', '7 miles (est.)', '1,200 miles'],
    opened: ['5 July 2001', 'March 28, 1991', '1989', 'c. 2010'],
  });

  it('reads the first number or the year out of a cell', () => {
    expect(extractNumber('7,000 (est.)', 'number')).toBe(7000);
    expect(extractNumber('about 2 miles', 'number')).toBe(2);
    expect(extractNumber('none', 'number')).toBeNull();
    expect(extractNumber('5 July 2001', 'year')).toBe(2001);
    expect(extractNumber('12345', 'year')).toBeNull();
  });

  it('orders by the number, not the text, for a superlative', () => {
    expect(firstCol(trails, 'which trail has the longest length?')).toEqual(['Summit Way']);
    expect(firstCol(trails, 'what is the shortest length?')).toEqual(['2 miles']);
  });

  it('compares numbers and years with text cells that hold them', () => {
    expect(firstCol(trails, 'how many trails have a length of at least 7 miles?')).toEqual([3]);
    expect(firstCol(trails, 'how many trails were opened before 2000?')).toEqual([2]);
    expect(firstCol(trails, 'how many trails were opened in the 2000s?')).toEqual([1]);
    expect(JSON.stringify(ask(trails, 'how many trails were opened before 2000?').plan)).toContain('"extract":"year"');
  });

  it('reads a season written 2008-09 as the years 2008 to 2009', () => {
    const games = Dataset.from({ date: ['3 May 2008', '9 Jan 2009', '2 Feb 2010'], rival: ['A', 'B', 'C'] });
    expect(firstCol(games, 'how many games were played in the 2008-09 season?')).toEqual([2]);
  });

  it('executes extract plans the same as numeric columns would', () => {
    const plan: QueryPlan = {
      type: 'select',
      items: [{ type: 'aggregate', fn: 'sum', column: 'length', as: 's', extract: 'number' }],
      where: { type: 'compare', column: 'opened', op: '<', value: 2000, extract: 'year' },
      groupBy: [],
      orderBy: [],
    };
    expect(executePlan(plan, trails).toRows()).toEqual([{ s: 19.5 }]);
  });
});

describe('answer column and answer size', () => {
  const staff = Dataset.from({
    name: ['Ann Lee', 'Bo Kim', 'Cy Day', 'Di Fox'],
    city: ['Oslo', 'Oslo', 'Rome', 'Oslo'],
    age: [30, 41, 30, 52],
  });

  it('"other than X, name a ...": another value of the column holding X, one row', () => {
    const a = ask(staff, 'other than bo kim, name a person in oslo');
    expect(a.result.toRows()).toEqual([{ name: 'Ann Lee' }]);
    expect(firstCol(staff, 'besides ann lee, who is 30?')).toEqual(['Cy Day']);
  });

  it('"name one of ..." gives one row; a plain list gives all', () => {
    expect(firstCol(staff, 'name one of the people from oslo')).toHaveLength(1);
    expect(firstCol(staff, 'which people are from oslo')).toHaveLength(3);
  });
});

describe('comparisons with a named row', () => {
  const towns = Dataset.from({
    town: ['Alma', 'Brio', 'Cora', 'Dune', 'Elm'],
    region: ['North', 'South', 'North', 'East', 'South'],
    density: [120, 80, 300, 120, 45],
  });

  it('"a higher/lower density than X" compares with X\'s own value', () => {
    expect(firstCol(towns, 'which towns have a higher density than alma?')).toEqual(['Cora']);
    expect(firstCol(towns, 'how many towns have a lower density than alma?')).toEqual([2]);
    expect(ask(towns, 'which towns have a higher density than alma?').plan).toMatchObject({ where: { type: 'and' } });
  });

  it('"the same X as Y" finds the other rows sharing Y\'s value', () => {
    expect(firstCol(towns, 'which town has the same density as alma?')).toEqual(['Dune']);
    expect(firstCol(towns, 'which town is in the same region as brio?')).toEqual(['Elm']);
  });
});

describe('inflected words of one-word values', () => {
  const games = Dataset.from({
    opponent: ['Reds', 'Blues', 'Greens', 'Golds'],
    result: ['Won', 'Lost', 'Won', 'Draw'],
    goals: [3, 0, 2, 1],
  });

  it('"win" finds "Won" and "lose" finds "Lost" in a low-cardinality column', () => {
    expect(firstCol(games, 'how many games did they win?')).toEqual([2]);
    expect(firstCol(games, 'which opponent did they lose to?')).toEqual(['Blues']);
  });
});

describe('places in a ranking', () => {
  const race = Dataset.from({
    rank: [1, 2, 3, 4],
    rider: ['Ada', 'Ben', 'Cal', 'Dot'],
    laps: [30, 30, 29, 12],
  });

  it('"who finished second", "in third place" filter the rank column', () => {
    expect(firstCol(race, 'who finished second?')).toEqual(['Ben']);
    expect(firstCol(race, 'which rider came in 3rd place?')).toEqual(['Cal']);
  });

  it('keeps another reading when the rank filter finds nothing', () => {
    const blank = Dataset.from({ rank: [null, null, 3], rider: ['Ada', 'Ben', 'Cal'] });
    expect(ask(blank, 'who finished first?').result.nrows).toBeGreaterThan(0);
  });
});

describe('dates written as text', () => {
  const games = Dataset.from({
    date: ['3 November 1990', '10 November 1990', '1 December 1990', '5 January 1991'],
    opponent: ['Reds', 'Blues', 'Greens', 'Golds'],
    crowd: [100, 200, 300, 400],
  });

  it('a month name filters the cells that name it', () => {
    expect(firstCol(games, 'how many games were in november?')).toEqual([2]);
    expect(firstCol(games, 'what was the average crowd for the games in december?')).toEqual([300]);
  });

  it('"before/after <year>" compares years even when the year is also a stored text', () => {
    const office = Dataset.from({ name: ['A', 'B', 'C', 'D'], entered: ['1950', '1966 (acting)', '1970', '1962 (2nd)'] });
    expect(firstCol(office, 'how many took office before 1966?')).toEqual([2]);
  });
});

describe('superlatives over one row per entity', () => {
  const medals = Dataset.from({
    nation: ['Chile', 'Peru', 'Cuba', 'Mali'],
    gold: [1, 0, 3, 0],
    silver: [2, 1, 0, 0],
    total: [3, 1, 3, 5],
  });

  it('orders by the implied Total instead of counting rows per nation', () => {
    expect(firstCol(medals, 'which nation won the most medals?')).toEqual(['Mali']);
    expect(firstCol(medals, 'which nation won the fewest medals?')).toEqual(['Peru']);
  });

  it('a numeric column a word or two after the noun is the measure', () => {
    const games = Dataset.from({ opponent: ['Reds', 'Blues', 'Greens'], attendance: [900, 300, 500] });
    expect(firstCol(games, 'which opponent had the least amount of people attending?')).toEqual(['Blues']);
  });
});

describe('arithmetic over two columns', () => {
  const tolls = Dataset.from({
    year: ['2008', '2009', '2010'],
    'class 1': ['$1.00', '$1.50', '$2.00'],
    'class 5': ['$4.00', '$6.00', '$7.50'],
  });

  it('the difference between two columns of the selected rows (currency amounts as numbers)', () => {
    expect(firstCol(tolls, 'what is the difference between class 5 and class 1 in 2009?')).toEqual([4.5]);
    const a = ask(tolls, 'what is the difference between class 5 and class 1 in 2009?');
    expect(a.plan.type).toBe('arithmetic');
  });
});

describe('negated count columns', () => {
  const medals = Dataset.from({ nation: ['Chile', 'Peru', 'Cuba'], gold: [1, 0, null], silver: [5, 2, 0] });

  it('"did not earn gold" keeps the rows where the count is zero or empty', () => {
    expect(firstCol(medals, 'which nations did not earn gold?')).toEqual(['Peru', 'Cuba']);
    expect(firstCol(medals, 'how many nations do not have silver medals?')).toEqual([1]);
  });
});

describe('wh-words choose the answer column', () => {
  const singles = Dataset.from({
    title: ['Drift', 'Glow', 'Rush'],
    year: [2001, 2003, 2004],
    'peak chart position': [12, 3, 40],
    venue: ['Hall A', 'Hall B', 'Hall C'],
  });

  it('"when did X chart" answers with the year, not the column the verb named', () => {
    expect(firstCol(singles, 'when did glow chart?')).toEqual([2003]);
  });
});

describe('linking numbers to columns', () => {
  const games = Dataset.from({
    game: [1, 2, 3, 4, 5],
    crowd: [9000, 12000, 15000, 8000, 11000],
    losses: [2, 10, 12, 4, 11],
    founded: [1750, 1820, 1799, 1901, 1705],
  });

  it('skips a column whose values are far from the number ("at least 10,000" is not a game number)', () => {
    expect(firstCol(games, 'how many games had at least 10,000 people?')).toEqual([3]);
  });

  it('"10 or more losses" compares the column after "or more"', () => {
    expect(firstCol(games, 'how many times were there 10 or more losses?')).toEqual([3]);
  });

  it('"the 18th century" is the years 1700 to 1799', () => {
    expect(firstCol(games, 'how many were founded in the 18th century?')).toEqual([3]);
  });
});

describe('the asked-for column', () => {
  const games = Dataset.from({
    date: ['3 November 1990', '10 November 1990', '1 December 1990'],
    opponent: ['Reds', 'Blues', 'Greens'],
  });

  it('"what was the date of the first game in november" answers with the date it also filters on', () => {
    expect(firstCol(games, 'what was the date of the first game in november?')).toEqual(['3 November 1990']);
  });

  it('"in what year" with no year column is a "when" question', () => {
    const goals = Dataset.from({ opponent: ['Reds', 'Blues'], date: ['2 May 2001', '9 June 2003'], venue: ['Oslo', 'Rome'] });
    expect(firstCol(goals, 'in what year did they play the blues?')).toEqual(['9 June 2003']);
  });
});

describe('superlative measures named a few words on', () => {
  const pageant = Dataset.from({ state: ['Ohio', 'Utah', 'Iowa'], swimsuit: [9.1, 9.6, 8.7], interview: [9.9, 8.0, 9.0] });

  it('"the most points in the swimsuit competition" orders by swimsuit', () => {
    expect(firstCol(pageant, 'who scored the most points in the swimsuit competition?')).toEqual(['Utah']);
  });
});

describe('empty text cells', () => {
  const songs = Dataset.from({ title: ['Drift', 'Glow', 'Rush'], songwriters: ['Ann', null, null], year: [2001, 2002, 2003] });

  it('"titles that don\'t have listed songwriters" keeps the rows where the column is empty', () => {
    expect(firstCol(songs, "how many titles don't have listed songwriters?")).toEqual([2]);
    expect(firstCol(songs, 'which title has no songwriters?')).toEqual(['Glow', 'Rush']);
  });
});

describe('demonyms', () => {
  const draft = Dataset.from({ player: ['Al', 'Bo', 'Cy'], nationality: ['Canada', 'Sweden', 'Canada'] });

  it('"canadians" and "a swedish player" find the country', () => {
    expect(firstCol(draft, 'how many canadians were drafted?')).toEqual([2]);
    expect(firstCol(draft, 'who is the swedish player?')).toEqual(['Bo']);
  });
});

describe('ordinal rows', () => {
  const races = Dataset.from({ race: ['Oslo GP', 'Rome GP', 'Lima GP', 'Kyiv GP'], winner: ['Ada', 'Ben', 'Cal', 'Dot'] });

  it('"the third race" is the third row in row order', () => {
    expect(firstCol(races, 'who was the winner of the third race?')).toEqual(['Cal']);
    expect(ask(races, 'who was the winner of the third race?').plan).toMatchObject({ limit: 1, offset: 2 });
  });
});

describe('a verb that names a numeric column', () => {
  const table = Dataset.from({ against: ['Chile', 'Peru', 'Cuba', 'Mali'], played: [50, 70, 60, 90], won: [10, 50, 20, 30] });

  it('"which country won the most games" orders by the Won column', () => {
    expect(firstCol(table, 'which country won the most games?')).toEqual(['Peru']);
  });
});

describe('a superlative over an aggregate ranks the groups of the asked-for entity', () => {
  const days = Dataset.from({
    weather: ['sun', 'rain', 'sun', 'fog', 'rain', 'fog'],
    wind: [1, 5, 2, 3, 6, 1],
    temp: [20, 10, 22, 15, 9, 14],
  });

  it('"which X has the highest/lowest average Y" groups by X, orders by the average, keeps the top', () => {
    expect(firstCol(days, 'which weather has the highest average wind')).toEqual(['rain']);
    expect(firstCol(days, 'which weather has the lowest average temp?')).toEqual(['rain']);
    expect(firstCol(days, 'which weather has the highest total wind')).toEqual(['rain']);
    const plan = ask(days, 'which weather has the highest average wind').plan as unknown as { groupBy: string[]; limit?: number };
    expect(plan.groupBy).toEqual(['weather']);
    expect(plan.limit).toBe(1);
  });

  it('without which/who the aggregate stays a single number', () => {
    expect(firstCol(days, 'what is the average wind')).toEqual([3]);
    expect(firstCol(days, 'what is the highest average wind')).toEqual([3]);
  });
});

describe('counting questions whose subject is the whole table', () => {
  const districts = Dataset.from({
    district: ['Ancon', 'Ate', 'Lima', 'Barranco', 'Breña'],
    population: [29419, 419663, 299493, 45922, 81909],
  });

  it('"how many districts of Lima": a value of the counted, all-distinct column after "of"/"in" is the subject', () => {
    expect(firstCol(districts, 'what is the total number of districts of lima?')).toEqual([5]);
    expect(firstCol(districts, 'how many districts are in lima?')).toEqual([5]);
  });

  it('keeps the filter when the value is named ("called", "for") or the column is not the counted noun', () => {
    expect(firstCol(districts, 'how many districts are called lima?')).toEqual([1]);
    expect(firstCol(districts, 'what is the population of lima?')).toEqual([299493]);
  });

  it('"for all 5 districts" is the whole table, not a filter on a column holding 5', () => {
    const t = Dataset.from({ tour: [1, 2, 3, 4, 5], prize: [10, 20, 30, 40, 50] });
    expect(firstCol(t, 'what is the total prize for all 5 tours?')).toEqual([150]);
    expect(firstCol(t, 'what is the prize for tour 5?')).toEqual([50]);
  });

  it('"in the ninth round": an ordinal before a noun the table does not know is no filter on a column holding the number', () => {
    const picks = Dataset.from({ pick: [81, 82, 83, 9], team: ['Eagles', 'Dodgers', 'Cardinals', 'Bears'] });
    expect(firstCol(picks, 'how many players were picked in the ninth round?')).toEqual([4]);
    expect(firstCol(picks, 'which team had pick 9?')).toEqual(['Bears']);
  });
});

describe('linking numbers and answer columns', () => {
  const table = Dataset.from({
    place: [1, 2, 3, 4],
    team: ['Canada', 'Sweden', 'Norway', 'Chile'],
    matches: [6, 6, 6, 6],
    won: [6, 4, 2, 0],
    points: [12, 9, 5, 1],
  });

  it('"teams that won 6 matches": the verb right before the number names the column', () => {
    expect(firstCol(table, 'how many teams won 6 matches?')).toEqual([1]);
    expect(firstCol(table, 'how many teams played 6 matches?')).toEqual([4]);
  });

  it('"this team has a count of 9 points" is a statement that asks for the team', () => {
    expect(firstCol(table, 'this team has a count of 9 points.')).toEqual(['Sweden']);
  });

  it('"X is from what club?" answers with a column named "From"', () => {
    const moves = Dataset.from({ date: ['5 July 2001', '18 July 2001'], name: ['Andy Hughes', 'Alex Smith'], from: ['Notts County', 'Port Vale'] });
    expect(firstCol(moves, 'andy hughes is from what soccer club?')).toEqual(['Notts County']);
  });

  it('a question that links only a number a column holds is answered, not refused', () => {
    const hits = Dataset.from({ year: [1982, 1983, 1984], name: ['Thanks to You', 'I Need You Now', 'Dance'], label: ['Becket', 'Jive', 'Jive'] });
    expect(firstCol(hits, "what is sinnamon's only hit of 1984?")).toEqual(['Dance']);
  });
});

describe('what a count counts', () => {
  it('"how many total players has Dublin had": a counted noun naming a text column counts rows, not the Total', () => {
    const t = Dataset.from({ player: ['A B', 'C D', 'E F', 'G H'], county: ['Dublin', 'Cork', 'Galway', 'Cork'], total: [14, 14, 13, 12] });
    expect(firstCol(t, 'how many total players has dublin had compete?')).toEqual([1]);
    expect(firstCol(t, 'how many did dublin score?')).toEqual([14]);
  });

  it('"the number of games that X have won": a past-tense verb naming another numeric column', () => {
    const t = Dataset.from({ team: ['Kings', 'Bruins'], games: [100, 120], wins: [40, 70], losses: [60, 50] });
    expect(firstCol(t, 'what is the number of games that the kings have won?')).toEqual([40]);
    expect(firstCol(t, 'what is the number of games the kings played?')).toEqual([100]);
  });

  it('a table in blocks ("Votes", "Votes (2)"): "total votes" reads Total, a value counts in every block', () => {
    const t = Dataset.from({
      county: ['Alpine', 'Amador', 'Butte'],
      votes: [389, 6830, 41000],
      'votes (2)': [236, 10281, 44000],
      total: [654, 17693, 85000],
    });
    expect(firstCol(t, 'what is the total number of votes for amador?')).toEqual([17693]);
    const trains = Dataset.from({
      number: ['1', '2', '3'],
      arrangement: ['2-4-2T', '0-6-0', '0-4-2T'],
      'number (2)': ['7', '8', '9'],
      'arrangement (2)': ['0-6-0', '0-6-0', '2-6-2'],
    });
    expect(firstCol(trains, 'how many trains have a 0-6-0 arrangement?')).toEqual([2]);
  });

  it('"what was the number of the X selection": the identifier of the one row X names', () => {
    const t = Dataset.from({ 'pick #': [417, 418, 419], 'nfl team': ['Buffalo Bills', 'Boston Patriots', 'Atlanta Falcons'], player: ['A', 'B', 'C'] });
    expect(firstCol(t, 'what was the number of the boston patriots selection?')).toEqual([418]);
  });
});

describe('values inside cells and verbs made of values', () => {
  it('a column of lists ("American, Spirit, United"): a value counts the cells that list it', () => {
    const routes = Dataset.from({
      city: ['LA', 'Chicago', 'Denver', 'Newark'],
      carriers: ['American, Spirit, United', 'American, Spirit', 'Frontier, United', 'United'],
    });
    expect(firstCol(routes, 'how many routes have united as a carrier?')).toEqual([3]);
    expect(firstCol(routes, 'how many routes have frontier as a carrier?')).toEqual([1]);
  });

  it('"how many people were dq\'ed": a verb made of a stored abbreviation finds it', () => {
    const race = Dataset.from({ name: ['A', 'B', 'C', 'D'], time: ['1:08.89', 'DQ', '1:09.16', 'DQ'] });
    expect(firstCol(race, "how many people were dq'ed?")).toEqual([2]);
  });

  it('the unit after a number ("20 goals") never links to a value that merely contains the word', () => {
    const scorers = Dataset.from({ name: ['Ann Lee', 'Bo Kim', 'OWN GOALS'], league: ['A', 'B', 'C'], total: [20, 12, 3] });
    expect(firstCol(scorers, 'who was the only player to score 20 goals total?')).toEqual(['Ann Lee']);
  });

  it('"how many teachers at the school with the largest number of students": the measure of the top row', () => {
    const schools = Dataset.from({ school: ['North', 'South', 'East'], students: [300, 900, 500], teachers: [20, 55.5, 30] });
    expect(firstCol(schools, 'how many teachers are employed at the school that enrolls the largest number of students?')).toEqual([55.5]);
    expect(firstCol(schools, 'how many teachers are employed in all?')).toEqual([105.5]);
  });
});

describe('clauses that are context', () => {
  const officers = Dataset.from({ position: [1, 2, 3], officer: ['Steward', 'Chancellor', 'Treasurer'], current: ['vacant', 'Grayling', 'in commission'] });

  it('"X is vacant, but who holds position two?": the clause before "but" without a question word is context', () => {
    expect(firstCol(officers, 'position one is vacant, but who holds the officer position of number two?')).toEqual(['Chancellor']);
  });

  it('a pronoun after "but" keeps the row the context named', () => {
    const players = Dataset.from({ name: ['Via Metcalfe', 'Tom Briggs'], apps: [41, 4], goals: [12, 0] });
    expect(firstCol(players, 'via metcalfe has over 40 apps but what is his goal total?')).toEqual([12]);
  });

  it('"including those classified as DSQ" adds rows, it does not filter them', () => {
    const race = Dataset.from({ athlete: ['A', 'B', 'C', 'D'], time: ['1:01', '1:02', 'DSQ', 'DNF'] });
    expect(firstCol(race, 'what is the total count of athletes in the chart, including those classified as dsq & dnf?')).toEqual([4]);
    expect(firstCol(race, 'how many athletes were classified as dsq?')).toEqual([1]);
  });

  it('"which tier was X a part of the least": the least frequent value of the asked-for column', () => {
    const seasons = Dataset.from({ season: ['81', '82', '83', '84', '85'], tier: [4, 5, 4, 4, 5] });
    expect(firstCol(seasons, 'which tier was the club a part of the least?')).toEqual([5]);
    expect(firstCol(seasons, 'which tier was the club a part of the most?')).toEqual([4]);
  });
});

describe('adding two columns', () => {
  it('"the total combined score" where one word names two numeric columns equally: both added up', () => {
    const games = Dataset.from({ date: ['November 12, 1932', 'October 1, 1933'], 'score home': [14, 3], 'score away': [6, 21] });
    const a = ask(games, 'what was the total combined score at the november 12, 1932 game?');
    expect(a.plan.type).toBe('arithmetic');
    expect(a.result.toRows()).toEqual([{ sum: 20 }]);
    expect(firstCol(games, 'what was the home score at the november 12, 1932 game?')).toEqual([14]);
  });
});

describe('years spanned by a range written as text', () => {
  const players = Dataset.from({
    player: ['Landon Donovan', 'Eric Wynalda', 'Bob Pettit'],
    career: ['2000–present', '1990–2000', '1954–1965'],
    caps: [155, 106, 90],
  });

  it('reads "1954–1965" as 11 years, and nothing without a second year', () => {
    expect(extractNumber('1954–1965', 'span')).toBe(11);
    expect(extractNumber('b. 1950, 1970 to 1981', 'span')).toBe(20);
    expect(extractNumber('1999-12000, 2001-2003', 'span')).toBe(2);
    expect(extractNumber('2000–present', 'span')).toBeNull();
    expect(extractNumber('12345–1990', 'span')).toBeNull();
  });

  it('"how many years was X\'s career", "how long was X …": the span of the named row\'s range cell', () => {
    expect(firstCol(players, "how many years was eric wynalda's career?")).toEqual([10]);
    expect(firstCol(players, 'how long was bob pettit with the team?')).toEqual([11]);
    expect(firstCol(players, 'how many caps did eric wynalda have?')).toEqual([106]);
  });
});

describe('values that are part of a longer name or a kind', () => {
  it('"the Allsvenskan league": a one-word value right after another value is its kind, not a second value', () => {
    const career = Dataset.from({
      season: [1998, 1999, 2000, 2001],
      competition: ['Tippeligaen', 'Allsvenskan', 'Allsvenskan', 'Cup'],
      note: ['League', '-', '-', 'League'],
    });
    expect(firstCol(career, 'when did he play in the allsvenskan league?')).toEqual([1999, 2000]);
  });

  it('"the giant slalom 48": words naming a column outright before a number are that column', () => {
    const skier = Dataset.from({
      age: [20, 21, 22, 23],
      slalom: ['Giant slalom', '12', '30', '9'],
      'giant slalom': [48, 20, 48, 5],
      overall: ['60', '30', '48', '7'],
    });
    expect(firstCol(skier, 'at which age was the overall 48 and the giant slalom 48?')).toEqual([22]);
  });

  it('"the Auto Club 400": a number after a word nothing names, after "the", is part of a name', () => {
    const races = Dataset.from({ year: [1997, 1998, 1999], maker: ['Chevrolet', 'Ford', 'Chevrolet'], miles: ['500 (804)', '400 (643)', '500 (804)'] });
    expect(firstCol(races, 'how many times has chevrolet won the auto club 400?')).toEqual([2]);
    expect(firstCol(races, 'how many races were 400 miles?')).toEqual([1]);
  });
});

describe('questions answered with a word', () => {
  const games = Dataset.from({ week: [1, 4, 15, 16], opponent: ['Ohio', 'Iowa', 'Utah', 'Iowa'], points: [21, 17, 30, 10], attendance: [700, 650, 900, 1200] });

  it('"more or less than N", "above or below N": the left side compared with a number', () => {
    const a = ask(games, 'was the attendance in week 4 more or less than 700?');
    expect(a.plan.type).toBe('choice');
    expect(a.result.toRows()).toEqual([{ answer: 'less' }]);
    expect(firstCol(games, 'were the points in week 15 above or below 20?')).toEqual(['above']);
  });

  it('"more or less than <another row>": both sides parsed and compared', () => {
    expect(firstCol(games, 'was the total points scored in week 4 more or less than the points scored in week 15?')).toEqual(['less']);
    expect(firstCol(games, 'was the total points scored in week 1 more or less than the points scored in week 4?')).toEqual(['more']);
  });

  it('yes/no with "at least N": a count compared with N', () => {
    expect(firstCol(games, 'did iowa play at least 2 games?')).toEqual(['yes']);
    expect(firstCol(games, 'did ohio play at least 2 games?')).toEqual(['no']);
    expect(firstCol(games, 'are there more than 3 games?')).toEqual(['yes']);
  });

  it('yes/no about a name the table does not hold: answered from no rows, not from all rows', () => {
    const races = Dataset.from({
      date: ['23 Feb', '8 Mar', '15 Mar'],
      winner: ['Mark Skaife', 'John Bowe', 'Mark Skaife'],
      team: ['Nissan', 'Shell', 'Nissan'],
    });
    expect(firstCol(races, 'did jerry edwards win at least one race?')).toEqual(['no']);
    expect(firstCol(races, 'did jerry edwards win more than 2 races?')).toEqual(['no']);
    expect(firstCol(races, 'did jerry edwards win fewer than 2 races?')).toEqual(['yes']);
    // a held name still counts its rows
    expect(firstCol(races, 'did mark skaife win at least 2 races?')).toEqual(['yes']);
    expect(firstCol(races, 'did john bowe win at least 2 races?')).toEqual(['no']);
  });

  it('"did X win a race?", "any": yes when at least one row matches; a name the table does not hold is no', () => {
    const races = Dataset.from({ winner: ['Mark Skaife', 'John Bowe', 'Mark Skaife'], team: ['Nissan', 'Shell', 'Nissan'], laps: [50, 60, 70] });
    expect(firstCol(races, 'did john bowe win a race?')).toEqual(['yes']);
    expect(firstCol(races, 'did jerry edwards win any races?')).toEqual(['no']);
    expect(ask(races, 'did jerry edwards win a race?').plan.type).toBe('choice');
    // the number bounds a column, it is not the count
    expect(firstCol(races, 'does shell have a race with more than 55 laps?')).toEqual(['yes']);
    expect(firstCol(races, 'does shell have a race with more than 65 laps?')).toEqual(['no']);
    // nothing to test the rows with: not a yes/no reading
    expect(ask(races, 'did they win a race?').plan.type).toBe('select');
  });

  it('"is X from A or B?": the value of the column holding A and B for X\'s row', () => {
    const people = Dataset.from({ name: ['Brian Alderman', 'Ana Silva'], nationality: ['United States', 'Brazil'], rank: [1, 2] });
    expect(firstCol(people, 'is brian alderman from the united states or brazil?')).toEqual(['United States']);
    expect(firstCol(people, 'is ana silva from the united states or brazil?')).toEqual(['Brazil']);
  });
});

describe('small linking fixes', () => {
  it('"in 2008 and 2009": two values of one column mean either', () => {
    const laps = Dataset.from({ year: [2007, 2008, 2009, 2009], team: ['Essex', 'Essex', 'Essex', 'Kent'], laps: [10, 20, 30, 40] });
    expect(firstCol(laps, 'how many laps were completed by essex in 2008 and 2009 combined?')).toEqual([50]);
  });

  it('"not" never names a column like "Notes"', () => {
    const race = Dataset.from({ rank: [1, 2, 3], athlete: ['A', 'B', 'C'], time: [23.1, 23.5, 24.5], notes: ['Q', 'Q', ''] });
    expect(firstCol(race, 'how many athletes did not have a time below 24?')).toEqual([1]);
  });
});

describe('rows a question points at', () => {
  it('"the last year listed at the bottom of the chart" is the last row', () => {
    const t = Dataset.from({ year: [1990, 1985, 2001, 1995], title: ['a', 'b', 'c', 'd'] });
    expect(firstCol(t, 'what is the last year listed at the bottom of the chart?')).toEqual([1995]);
    expect(firstCol(t, 'what is the title at the top of the list?')).toEqual(['a']);
  });

  it('"which two groups showed the least growth": two rows of the superlative, and "two" is no filter', () => {
    const t = Dataset.from({ group: ['Hindu', 'Muslim', 'Sikh', 'Jain'], growth: ['20.3%', '29.3%', '18.2%', '26%'], members: [2, 5, 2, 9] });
    expect(firstCol(t, 'which two groups showed the least amount of growth?')).toEqual(['Sikh', 'Hindu']);
  });

  it('"who finished in first position" with a few "Ret" places: the rank filter and the person', () => {
    const t = Dataset.from({ pos: ['1', '2', '3', 'Ret', 'Ret'], rider: ['Capirossi', 'Romboni', 'Biaggi', 'Cadalora', 'Ruggia'], points: [25, 20, 16, 0, 0] });
    expect(firstCol(t, 'who finished in first position?')).toEqual(['Capirossi']);
  });

  it('the answer column of a bare "which" is not a column of digits written as text', () => {
    const t = Dataset.from({ rank: ['1', '2', '3', '3='], npc: ['China (CHN)', 'Russia (RUS)', 'Chile (CHI)', 'Peru (PER)'], bronze: [65, 28, 3, 9] });
    expect(firstCol(t, 'which country won the least amount of bronze medals?')).toEqual(['Chile (CHI)']);
  });
});

describe('distances in time between two rows', () => {
  it('"how many years after A was B released": the years between their rows', () => {
    const films = Dataset.from({ year: [2001, 2005, 2014], film: ['Chirutha', 'Pokiri', 'Youngistaan'], role: ['a', 'b', 'c'] });
    expect(firstCol(films, 'how many years after chirutha was youngistaan released?')).toEqual([13]);
    expect(firstCol(films, 'how many years before youngistaan was pokiri released?')).toEqual([9]);
  });

  it('years written inside text dates', () => {
    const t = Dataset.from({ listed: ['May 3, 1990', 'June 1, 2004'], city: ['Quincy', 'Bronson'], name: ['a', 'b'] });
    expect(firstCol(t, 'how many years passed between the listing in quincy and bronson?')).toEqual([14]);
  });
});

describe('superlatives over a ranking', () => {
  it('"the highest / best position" is place 1, "the worst position" the largest number', () => {
    const t = Dataset.from({ year: [2001, 2003, 2005], venue: ['Oslo', 'Bydgoszcz, Poland', 'Rome'], position: [4, 1, 7] });
    expect(firstCol(t, 'what year did he achieve his highest position?')).toEqual([2003]);
    expect(firstCol(t, 'what year did he achieve his worst position?')).toEqual([2005]);
    expect(firstCol(t, 'what was his best position?')).toEqual([1]);
  });
});

describe('years of dates written as text', () => {
  it('"which year had the most flights": groups by the year read out of the date', () => {
    const flights = Dataset.from({
      flight: ['F1', 'F2', 'F3', 'F4'],
      date: ['18 February 2002', '4 May 2003', '10 September 2003', 'December 1, 2003'],
      result: ['ok', 'ok', 'ok', 'fail'],
    });
    expect(firstCol(flights, 'which year had the most flights?')).toEqual([2003]);
    expect(() =>
      executePlan({ type: 'select', items: [{ type: 'bucket', column: 'date', unit: 'month', as: 'm', extract: 'year' }], groupBy: [], orderBy: [] }, flights),
    ).toThrow(/unit "year" only/);
  });
});

describe('the spread of a column', () => {
  it('"the difference between the most attended game and the least attended game": max minus min', () => {
    const games = Dataset.from({ opponent: ['Ohio', 'Iowa', 'Utah'], attendance: [700, 1250, 900] });
    expect(firstCol(games, 'what is the difference between the attendance at the most attended game and the least attended game?')).toEqual([550]);
    expect(firstCol(games, 'what is the difference between the highest and lowest attendance?')).toEqual([550]);
  });
});

describe('durations written m:ss', () => {
  const race = Dataset.from({ athlete: ['Ann', 'Bo', 'Cy', 'Di'], time: ['2:01.50', '1:59.80', '2:00.10', 'DNF'], points: [3, 9, 5, 0] });

  it('reads "m:ss" and "h:mm:ss" as seconds, in questions and in cells', () => {
    expect(extractNumber('1:08.89', 'duration')).toBeCloseTo(68.89, 9);
    expect(extractNumber('2:03:59', 'duration')).toBe(7439);
    expect(extractNumber('DNF', 'duration')).toBeNull();
    const t = tokenize('shorter than 2:00 and 1:02:03.5');
    expect(t.filter((x) => x.clock).map((x) => x.num)).toEqual([120, 3723.5]);
  });

  it('orders and compares durations by their seconds, answering with the cell as written', () => {
    expect(firstCol(race, 'which athlete had the least amount of time?')).toEqual(['Bo']);
    expect(firstCol(race, 'how many athletes had a time under 2:00?')).toEqual([1]);
    expect(firstCol(race, 'what was the longest time?')).toEqual(['2:01.50']);
  });
});

describe('typos of short words', () => {
  it('"dics" → "discs": a column word one letter longer, same first and last letter', () => {
    const dvds = Dataset.from({ title: ['Series 1', 'Series 2', 'Series 3'], discs: [2, 3, 2], year: [1971, 1972, 1973] });
    expect(firstCol(dvds, 'what is the total of all dics listed in the table?')).toEqual([7]);
    // a substitution ("tear" for "year") is not corrected
    expect(ask(dvds, 'how many discs in the tear 1971?').unknownWords).toContain('tear');
  });
});

describe('rows before or after a named row', () => {
  it('"how many players came before Watson": the rows before the first row naming him, in row order', () => {
    const t = Dataset.from({ name: ['Ann', 'Bo', 'David Watson', 'Cy'], club: ['A', 'B', 'A', 'C'] });
    expect(firstCol(t, 'how many players were listed before david watson?')).toEqual([2]);
    expect(firstCol(t, 'how many players were listed after david watson?')).toEqual([1]);
    expect(firstCol(t, 'who was listed after david watson?')).toEqual(['Cy']);
    expect(() => toSQL(ask(t, 'how many players were listed before david watson?').plan)).toThrow(/rowOrder/);
  });
});

describe('streaks', () => {
  const games = Dataset.from({
    game: [1, 2, 3, 4, 5, 6, 7],
    result: ['Won', 'Won', 'Lost', 'Won', 'Won', 'Won', 'Lost'],
    team: ['Ajax', 'Ajax', 'Ajax', 'Bayern', 'Bayern', 'Ajax', 'Ajax'],
  });

  it('"how many consecutive wins", "in a row": the longest run of matching rows in row order', () => {
    const a = ask(games, 'how many consecutive games did they win?');
    expect(a.plan.type).toBe('streak');
    expect(a.result.toRows()).toEqual([{ streak: 3 }]);
    expect(firstCol(games, 'how many games did they win in a row?')).toEqual([3]);
    expect(firstCol(games, 'how many consecutive games did they play for ajax?')).toEqual([3]);
    expect(firstCol(games, 'how many games did they win?')).toEqual([5]);
  });
});

describe('results written with their score', () => {
  const games = Dataset.from({
    game: [1, 2, 3, 4, 5],
    opponent: ['Rock', 'Blazers', 'Swarm', 'Rock', 'Knighthawks'],
    score: ['L 14–15', 'W 19–14', 'W 13–9', 'L 9–12', 'W 11–10'],
    attendance: [5733, 3208, 9313, 4000, 5000],
  });

  it('"the number of wins", "games they lost": the cells starting with W / L', () => {
    expect(firstCol(games, 'what was the total number of wins for the season?')).toEqual([3]);
    expect(firstCol(games, 'how many games did the team lose?')).toEqual([2]);
    expect(firstCol(games, 'how many games did they win against the rock?')).toEqual([0]);
    expect(firstCol(games, 'how many games were played?')).toEqual([5]);
  });
});

describe('ties at the extreme', () => {
  it('"which nations won the fewest silver medals": every row tied at the extreme', () => {
    const medals = Dataset.from({ nation: ['China', 'Chile', 'Peru', 'Total'], silver: [5, 1, 1, 7], gold: [3, 2, 0, 5] });
    expect(firstCol(medals, 'name the country with the least amount of silver medals.')).toEqual(['Chile', 'Peru']);
    expect(firstCol(medals, 'which nation won the most silver medals?')).toEqual(['China']);
  });
});

describe('counting the rows at an extreme', () => {
  it('"how many drivers completed the most laps": the rows tied at the maximum, counted', () => {
    const race = Dataset.from({ driver: ['A', 'B', 'C', 'D'], laps: [71, 71, 70, 12], points: [10, 6, 4, 0] });
    expect(firstCol(race, 'how many drivers completed the most laps?')).toEqual([2]);
    expect(firstCol(race, 'how many drivers completed the fewest laps?')).toEqual([1]);
  });
});

describe('a superlative and a comparison on one column', () => {
  it('"which area has the lowest population that is not zero"', () => {
    const areas = Dataset.from({ area: ['North', 'South', 'East', 'West'], population: [0, 5200, 310, 970] });
    expect(firstCol(areas, 'which area has the lowest population that is not zero?')).toEqual(['East']);
    expect(firstCol(areas, 'which area has the lowest population?')).toEqual(['North']);
  });
});

describe('two columns of one row', () => {
  it('"how many places have more Serbs than Jews": the columns compared row by row', () => {
    const t = Dataset.from({ place: ['A', 'B', 'C'], total: [10, 20, 30], serbs: [5, 2, 20], jews: ['1', '9', '-'] });
    const a = ask(t, 'how many places have more total serbs than jews?');
    expect(JSON.stringify(a.plan)).toContain('compareColumns');
    expect(a.result.toRows()).toEqual([{ count: 1 }]);
    expect(firstCol(t, 'how many places have fewer serbs than jews?')).toEqual([1]);
  });

  it('"contains the color white": the column named after the keyword, then the value', () => {
    const wires = Dataset.from({ pin: [1, 2, 3], color: ['White/Blue', 'Blue', 'White/Orange'] });
    expect(firstCol(wires, 'how many pins contains the color white?')).toEqual([2]);
  });
});

describe('first and last by a year column', () => {
  it('"who was the first member to be elected": ordered by the year column named, answered with the other', () => {
    const members = Dataset.from({ member: ['Ann Lee', 'Bo Kim', 'Cy Day'], party: ['A', 'B', 'A'], 'first elected': ['1953', '1943', '1949'] });
    expect(firstCol(members, 'who was the first member to be elected?')).toEqual(['Bo Kim']);
    expect(firstCol(members, 'who was the last member to be elected?')).toEqual(['Ann Lee']);
  });
});

describe('"what" before a noun the table does not name', () => {
  it('"what game had the most attendees" answers with the row, not the attendance', () => {
    const games = Dataset.from({ week: [1, 2, 3], opponent: ['Ohio', 'Iowa', 'Utah'], attendance: [700, 1250, 900] });
    expect(firstCol(games, 'what game had the most attendees?')).toEqual(['Iowa']);
    expect(firstCol(games, 'what was the highest attendance?')).toEqual([1250]);
  });
});

describe('a verb after a value is not its kind', () => {
  it('"what award did Once in a Lifetime win?" keeps the win filter', () => {
    const awards = Dataset.from({
      award: ['Olivier', 'Tony', 'Drama Desk'],
      work: ['Once in a Lifetime', 'Once in a Lifetime', 'Other'],
      result: ['Nominated', 'Won', 'Won'],
    });
    expect(firstCol(awards, 'what award did once in a lifetime win?')).toEqual(['Tony']);
    expect(firstCol(awards, 'how many awards has once in a lifetime won?')).toEqual([1]);
  });
});

describe('lists in cells', () => {
  const hubs = Dataset.from({
    city: ['Denver', 'Houston', 'Newark', 'Miami', 'Dallas', 'Austin'],
    airlines: ['American, Spirit, United', 'United States Air, Delta', 'United, Delta', 'American', 'Frontier, Reunited Air', 'United'],
  });

  it('a value matches whole items of list cells, not a longer item that starts with it', () => {
    expect(firstCol(hubs, 'how many cities have united as an airline?')).toEqual([3]);
    expect(ask(hubs, 'which cities have united as an airline?').restatement).toContain('lists "United"');
    expect(firstCol(hubs, 'which cities have united as an airline?').sort()).toEqual(['Austin', 'Denver', 'Newark']);
    // a value that is a whole cell once and an item once: both rows
    expect(firstCol(hubs, 'how many cities have american as an airline?')).toEqual([2]);
  });
});

describe('thousands grouped by spaces', () => {
  const origins = Dataset.from({
    origin: ['Africa', 'Maghreb', 'Asia', 'Oceania'],
    y2005: ['98 453', '75 224', '1 204 118', '812'],
    note: ['12 May 2001', 'about 300', '2 100 m', 'n/a'],
  });

  it('reads "98 453" as 98453 with extract "spaced"', () => {
    expect(extractNumber('98 453', 'spaced')).toBe(98453);
    expect(extractNumber('1 204 118 people', 'spaced')).toBe(1204118);
    expect(extractNumber('98 453', 'number')).toBe(98);
    expect(extractNumber('12 May', 'spaced')).toBe(12);
    expect(extractNumber('3 45', 'spaced')).toBe(3);
  });

  it('a column whose cells consistently group thousands by spaces is read that way', () => {
    expect(firstCol(origins, 'what is the total y2005 of africa?')).toEqual([98453]);
    expect(firstCol(origins, 'which origin has the highest y2005?')).toEqual(['Asia']);
    expect(firstCol(origins, 'how many origins have a y2005 over 80,000?')).toEqual([2]);
    expect(JSON.stringify(ask(origins, 'which origin has the highest y2005?').plan)).toContain('"extract":"spaced"');
  });

  it('a column that mixes groupings keeps the plain first number', () => {
    const mixed = Dataset.from({ origin: ['A', 'B', 'C'], y2005: ['98 453', '75224', '812'] });
    expect(JSON.stringify(ask(mixed, 'which origin has the highest y2005?').plan)).not.toContain('"extract":"spaced"');
  });
});

describe('dates written as text compared as dates', () => {
  const games = Dataset.from({
    date: ['September 20, 1959', 'October 31, 1959', 'November 7, 1959', '14 Nov. 1959', '1959-12-05'],
    opponent: ['Navy', 'Army', 'Duke', 'Rice', 'Tulane'],
    attendance: [100, 200, 300, 400, 500],
  });

  it('reads "October 31, 1959", "14 Nov. 1959" and "1959-12-05" as yyyymmdd (extract "date")', () => {
    expect(extractNumber('October 31, 1959', 'date')).toBe(19591031);
    expect(extractNumber('Sat. Oct 3rd 1959 (night)', 'date')).toBe(19591003);
    expect(extractNumber('14 Nov. 1959', 'date')).toBe(19591114);
    expect(extractNumber('1959-12-05', 'date')).toBe(19591205);
    expect(extractNumber('Marseille 3 1959', 'date')).toBeNull();
    expect(extractNumber('November 1959', 'date')).toBeNull();
  });

  it('"after October 31, 1959": the rows dated later, in any of the written forms', () => {
    expect(firstCol(games, 'how many games were played after october 31, 1959?')).toEqual([3]);
    expect(firstCol(games, 'how many games were played before the 7th of november 1959?')).toEqual([2]);
    expect(firstCol(games, 'which opponents were played after november 1, 1959?').sort()).toEqual(['Duke', 'Rice', 'Tulane']);
    const after = ask(games, 'how many games were played after october 31, 1959?');
    expect(JSON.stringify(after.plan)).toContain('"extract":"date"');
    expect(after.restatement).toContain('the date in date is after 1959-10-31');
  });

  it('a date the table holds keeps its row for "on" and for the row after', () => {
    expect(firstCol(games, 'what was the attendance on october 31, 1959?')).toEqual([200]);
    expect(firstCol(games, 'which opponent was played after october 31, 1959?')).toEqual(['Duke']);
  });

  it('a date inside a context clause filters nothing', () => {
    expect(firstCol(games, 'navy was played on october 30, 1959, but what was the attendance against rice?')).toEqual([400]);
  });

  it('"in March" on dates written with month names', () => {
    const t = Dataset.from({ date: ['March 3, 2001', 'May 9, 2001', 'March 28, 2002'], city: ['A', 'B', 'C'] });
    expect(firstCol(t, 'how many events were in march?')).toEqual([2]);
  });
});

describe('days and months on a datetime column', () => {
  const d = (x: string): Date => new Date(`${x}T00:00:00Z`);
  const events = Dataset.from({ date: [d('1960-03-03'), d('1960-05-09'), d('1961-03-28'), d('1960-06-02')], city: ['A', 'B', 'C', 'D'] });

  it('"after / before / since <day>" compares instead of keeping that day only', () => {
    expect(firstCol(events, 'how many events were after may 9, 1960?')).toEqual([2]);
    expect(firstCol(events, 'how many events were before may 9, 1960?')).toEqual([1]);
    expect(firstCol(events, 'how many events were since may 9, 1960?')).toEqual([3]);
    expect(firstCol(events, 'how many events were on may 9, 1960?')).toEqual([1]);
  });

  it('"in March" on data that does not reach the current year is March of any year it holds', () => {
    expect(firstCol(events, 'how many events were in march?')).toEqual([2]);
    expect(firstCol(events, 'how many events were in march 1960?')).toEqual([1]);
  });
});
