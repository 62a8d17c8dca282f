//! Stop words left out of `top_words` (docs/statistics.md): the most common function words of the
//! languages WhatsApp exports come in (docs/formats.md), plus chat filler. Lists are written as
//! people spell the words; they are folded through the index analyzer once, so `für`, `fur`,
//! `está` and `esta` are all recognised the way the `word` column stores them.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

const EN: &str = "a about above after again against all also am an and any are aren't as at be
because been before being below between both but by can can't cannot could couldn't did didn't do
does doesn't doing don't down during each few for from further get got had hadn't has hasn't have
haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd
i'll i'm i've if in into is isn't it it's its itself just let's like me more most mustn't my
myself no nor not now of off on once only or other ought our ours ourselves out over own same
shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs
them themselves then there there's these they they'd they'll they're they've this those through
to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
when's where where's which while who who's whom why why's will with won't would wouldn't you
you'd you'll you're you've your yours yourself yourselves yes yeah yep ok okay oh ah hi hey lol
haha hahaha im dont thats its u ur ya yea gonna wanna also really one still well go going know
think see will shall may might must us via cant wont didnt isnt";

const DE: &str = "aber alle allem allen aller alles als also am an ander andere anderem anderen
anderer anderes anders auch auf aus bei bin bis bist da damit dann das dass daß dein deine
deinem deinen deiner dem den denn der des dich die dies diese diesem diesen dieser dieses dir doch
dort du durch ein eine einem einen einer eines einmal er es etwas euch euer eure für hab habe
haben hat hatte hätte hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in ins
ist ja jetzt kann kein keine keinem keinen keiner man mein meine meinem meinen meiner mich mir
mit muss nach nicht nichts noch nun nur ob oder ohne schon sehr sein seine seinem seinen seiner
sich sie sind so soll sollte über um und uns unser unsere unter viel vom von vor war waren warum
was weil welche wenn wer werde werden wie wieder will wir wird wo wollen würde zu zum zur zwar
zwischen mal gut okay oh ach na halt eben gerade";

const ES: &str = "a al algo algunas algunos ante antes como con contra cual cuando de del desde
donde durante e el él ella ellas ellos en entre era eres es esa esas ese eso esos esta está
están estar estas este esto estos estoy fue fueron ha había han has hasta hay he la las le les
lo los me mi mí mis mucho muy más nada ni no nos nosotros o os otra otro para pero poco por
porque que qué quien se sea ser si sí sin sobre son su sus también tan te tengo tiene tienen
todo todos tu tú tus un una uno unos vos y ya yo voy va vamos bueno bien pues jaja jajaja
dale eh";

const PT: &str = "a ao aos as até com como da das de dela dele deles do dos e é ela elas ele
eles em entre era essa esse esta está estou eu foi for há isso isto já la lá lhe mais mas me
mesmo meu minha muito na não nas nem no nos nós num numa o os ou para pela pelo por porque
pra que quando se sem ser seu sua são só também te tem tenho ter teu tu tua um uma vai vc você
vocês vou tá né sim kkk kkkk aí ai então";

const FR: &str = "à a ai au aux avec avez avons c ce ces c'est cette dans de des du elle elles
en es est et être eu il ils j je j'ai l la le les leur lui ma mais me même mes moi mon n ne
nos notre nous on ont ou où par pas pour qu que qui sa se ses si son sont sur ta te tes toi ton
tu un une vos votre vous y ça oui non bon bien alors aussi comme très tout tous fait faire
suis était mdr";

const IT: &str = "a ad al alla alle anche c che chi ci come con cosa da dal dalla dei del della
delle di e è ed era gli ha hai ho i il in io la le lei lo loro lui ma mi mia mio ne nel nella
no non noi o per perché più poi quello questa questo se sei si sia sono su sua suo sul ti tu
tutto un una uno va vi voi già ok sì bene allora";

const NL: &str = "aan al als bij ben dan dat de der deze die dit doch doen door dus een en er
ga gaat geen had heb hebben heeft hem het hier hij hoe hun ik in is ja je jij jou jouw kan kom
maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat ons onze ook op over
te tot u uit van veel voor want was wat we wel wie wij wil word wordt zal ze zei zich zij zijn
zo zou oké";

const RU: &str = "а без бы был была были было быть в вам вас весь во вот все всё всего вы где да
даже для до его ее её ей ему если есть еще ещё же за здесь и из или им их к как какой когда
кто ли либо мне может мы на над надо наш не него нее неё нет ни них но ну о об однако он она
они оно от очень по под после потому при с со так также такой там те тебе тем то того тоже
той только том ты у уже хорошо хотя чего чей чем что чтобы эта эти это этот я да ок";

const TR: &str = "acaba ama ancak artık aslında az bana bazı belki ben beni benim bir biraz
birçok biz bize bu buna bunu bunun çok çünkü da daha de değil diye en gibi hem hep her hiç
için ile ise kadar ki kim mi mı mu mü nasıl ne neden nerede o olan olarak on ona onu onun
sen sana seni siz şey şu tamam ve veya ya yani evet hayır";

const ID: &str = "ada adalah agar akan aku anda apa atau bagi bahwa banyak belum bisa buat dan
dari dengan di dia ini itu jadi juga kalau kami kamu karena ke kita lagi lebih mau mereka
nya oleh pada saja saya sebagai sedang sudah tapi tidak udah untuk yang ya ga gak nggak aja sih
deh dong kok";

const AR: &str = "في من على إلى الى عن مع هذا هذه ذلك تلك هو هي هم أنا انا أنت انت نحن كان
كانت لا لم لن ما ماذا هل و أو او ثم قد كل بعد قبل عند إن ان أن الذي التي يا بس شو ايش
اللي كده مش";

const CS: &str = "a aby ale ani ano by byl byla bylo být co do i jak je jeho její jen jsem jsi
jsme jste k kde když ke má mi mít mně mnou na nám nebo než nic o od po pro při s se si tak
taky také tam to ten ty u už v ve z za že";

const FI: &str = "ei en et että he hän ja jo joka jos kanssa kun me mikä minä mitä mutta myös
ne niin nyt oli olla on ovat se sen sinä siis tai te tämä vaan vai voi";

/// Whether `word` (as the analyzer folds it: lowercase, accents removed) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    // Asked for every token of every message at import: a fast hash, not SipHash (there is
    // nothing to defend against in a fixed list of our own).
    static SET: OnceLock<FxHashSet<String>> = OnceLock::new();
    SET.get_or_init(build).contains(word)
}

fn build() -> FxHashSet<String> {
    let mut set = FxHashSet::default();
    let mut analyzer = crate::index::analyzer::analyzer();
    for list in [EN, DE, ES, PT, FR, IT, NL, RU, TR, ID, AR, CS, FI] {
        for word in list.split_whitespace() {
            set.insert(word.to_string());
            // The folded spelling, exactly as tokens of the `word` column are written.
            let mut stream = analyzer.token_stream(word);
            while let Some(token) = stream.next() {
                set.insert(token.text.clone());
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_and_plain_forms() {
        for w in [
            "the", "it's", "fur", "für", "esta", "está", "ca", "ça", "nao", "não", "что", "bir",
            "yang", "في", "cok", "çok",
        ] {
            assert!(is_stop_word(w), "{w}");
        }
        for w in ["pizza", "snowdon", "kiln", "hiking"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }
}
