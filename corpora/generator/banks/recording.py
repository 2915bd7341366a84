"""Sentence bank: recording_quality.  Format: see risk.py."""

LABEL = "recording_quality"

GAP = r"""
@topic late
* | Retrospective entry.
* | Retrospective entry for the visit on {olddate}.
hv,cn | Recorded {weeks} weeks after the visit.
* | Entry written up from memory some weeks later.
hv | Late entry - visit was on {olddate}.
cn | Catch-up recording of contacts from the past month entered today.
me,sd | Minutes typed up {weeks} weeks after the meeting from handwritten notes.
hv,cn | Entered on the system today for a visit some time in {month}; exact date not known.
su | Supervision record entered {weeks} weeks after the session.
cn | Several visits were made in {month} but were not recorded at the time; summary below.

@topic copied
hv,cn | As per previous visit.
hv | See last entry, situation unchanged.
* | Text copied from the entry of {olddate}.
hv | This record is the same as the visit record of {date}, word for word.
hv | Visit notes pasted from the previous month's record.
as | Analysis section copied from the previous assessment in {month}.
me | Plan copied from the last review without changes to dates.
hv | Observations copied over from the last visit, including the reference to the Christmas tree.

@topic vague
hv | Visit completed, all fine.
hv | Home visit. No issues.
hv,cn | Saw family. OK.
hv | Visited. Spoke to mum. Kids fine.
hv | Visit done, nothing to report.
hv | All seen, all well.
hv | Seen at home, presenting well.
ct | Call made, discussed case.
cn | Spoke to school re concerns.
hv | Unannounced visit, family in, will continue as per plan.
hv | Quick visit, everything seems ok at the moment.
me | Meeting held, plan discussed, all agreed.
hv | Went well.

@topic whoseen
hv | It is not clear from this record whether {c} was seen alone.
hv | Saw {c} and {sib} at home with {mum}.
hv | Children seen.
hv | {c} seen, presenting well.
hv | Spoke with {c} briefly in the living room.
hv | {c} was seen and spoke to me about school and home.
hv | Both children were spoken to and shared their views.
hv | {c} was seen alone in {his} bedroom; {his} views were gathered.
hv | The visit was to see the children but the record does not say who was present.

@topic outcome
ct,cn | Call with {agency} about the concerns.
me | Meeting held with agencies about {c}.
sd | Strategy discussion held.
cn | Outcome of the call not recorded.
hv | Discussed concerns with {mum}; outcome to follow.
as | Outcome section left blank.
cn | Emailed {school}; no reply noted.
md,cn | Decision: see email.

@topic jargon
* | Holistic work continues to be undertaken in a strengths-based, trauma-informed way.
hv | Relational practice utilised to explore systemic narratives within the family network.
* | Professionals continue to work together in a multi-agency way to address needs.
hv | Direct work completed around lived experience; {c} engaged.
me | Family continue to be supported via a team around the family approach.
* | Ongoing work to build resilience and reduce risk.
"""

NEAR = r"""
@topic late
hv %notbaby | Late entry: this visit took place on {date}; recording was delayed by two days because I was in court all week. {c} was seen alone in {his} room and told me "{c_quote}".
* | Retrospective entry written the morning after a late finish; notes were taken during the visit and are typed up in full below.
me,sd | Minutes written up the day after the meeting from my notes; they were checked with the chair before being circulated.
hv,cn | This entry was made the next day because of an IT outage; my handwritten notes from the visit are scanned to the file.
cn | Retrospective entry made on {date} for a call on the previous Friday; the delay was due to annual leave and the content below is taken in full from my notebook.
hv %notbaby | Visit recorded the same evening: present were {mum}, {c} and {sib}; {c} was seen alone in the garden and said "{c_quote}"; next visit {next}.

@topic copied
hv | The situation is much as at the last visit, but today's observations are recorded in full below because small changes matter for {c}.
hv | Compared with the visit on {date}, the kitchen is tidier, {mum} seemed brighter and {c} was keen to show me {his} drawings.
me | The plan was updated at this review: dates have been reset and two actions were removed as completed.
as | The analysis has been rewritten for this assessment rather than carried over, because the family's circumstances have changed since {month}.
hv | This is a new record of today's visit rather than a copy of the last one: {c} has a new bed, {mum} has started her course and the kitchen has been repainted.

@topic vague
hv | Visit completed: {mum}, {c} and {sib} present; {c} seen alone in {his} room and said {he} is happy at home; kitchen had food and the beds were made; next visit {next}.
hv | Home visit: seen {mum} and both children, checked the sleeping arrangements, {c} seen alone; no new concerns; actions below.
hv | Visited at 4pm: {c} was home from {school}, {mum} was cooking, and I saw {c} on {his} own in the garden, where {he} talked about {his} friends.
me | Meeting held with {mum}, {dsl}, the HV and the FSW; progress on each outcome was discussed, and the plan and next date are recorded below.
ct | Call to {agency}: they confirmed {c} has attended all appointments since {month} and have no new concerns; I will update {mum}.
me | Minutes: present were {mum}, {dsl}, the HV and the SW; each outcome was reviewed against the evidence, the plan was updated and the next meeting is on {next}.
ct | Call from {agency} at 11am: they reported {c} has missed two appointments; I explained the plan, they agreed to rebook, and I will confirm with {mum} by Friday.
cn | Spoke to {dsl} about the lateness: {c} has been late four times this half term, always on Mondays, and the DSL will let me know if it continues.

@topic whoseen
hv %notbaby | {c} was seen alone in {his} bedroom; {he} said "{c_quote}".
hv | I saw {c} on {his} own while {mum} made a drink; {he} told me {he} likes {his} new teacher and wants to do more football.
hv | {c} and {sib} were seen together and then separately; {c} said home is "calmer now" and {sib} wanted to show me the new bunk beds.
hv | Present: {mum}, {c}, {sib}. {c} seen alone for 15 minutes in the kitchen and shared {his} three houses drawing.
hv %baby | Baby {c} was seen awake, handled by {mum} during the visit and settled easily; I saw {c} undressed for the weigh-in with the HV and there were no marks.
hv %baby | Baby {c} was seen awake and then asleep in the cot on {his} back; {mum} talked me through {his} feeding times and I checked the feeding chart with her.
hv %notbaby | I have recorded {c}'s words as {he} said them: "{c_quote}".
hv %teen | {c} agreed to talk to me alone at the park; {he} said {he} doesn't want to move schools and wants to see {his} nan more.

@topic outcome
ct,cn | Call with {agency} about the missed appointments: they agreed to send a reminder and to tell me if {c} misses the next one on {next}.
me | Meeting held with agencies: the outcome was that the CIN plan continues with two changes, and the minutes list who is doing what by when.
sd | Strategy discussion held; the outcome was that s47 enquiries are to be undertaken jointly with police, with the visit today.
as | The outcome section sets out the decision, the reasons for it and who will do what by when.
cn | Summary of the phone call with {dsl}: {c} is settled, attendance is 94% and there are no new concerns; the DSL will call if this changes.
cn | Emailed {school} asking for the attendance figures; they replied the same day (91% this term) and this is saved on file.
md,cn | Decision recorded: CIN plan to continue for three months, for the reasons given in the TM's oversight above.

@topic jargon
hv | I did direct work with {c} using a feelings chart; {he} put "worried" next to bedtime and "happy" next to school, and we talked about what makes bedtimes hard.
* | Professionals agreed at the meeting what each agency will do: {school} will monitor attendance daily, the HV will visit fortnightly and the FSW will do two sessions a week on routines.
hv | We talked about what {c} is good at and who helps {him}; {he} named {his} nan and {his} teacher as the people {he} trusts.
* | The work with {mum} this month has focused on morning routines, and {c} has been on time for school every day for two weeks.
"""
